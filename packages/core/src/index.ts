/**
 * @deepspike/core — backend selection, the plugin registry, spike-sequence layout, layer and model
 * base classes, weight persistence and input encoders.
 * @packageDocumentation
 */
import './tfjs-side-effects.js';
export * from './errors.js';
export { tidy, addN, type Tensor } from './tensor-api.js';
export { seededRandom } from './random.js';
export { messages } from './messages.js';
export { FIRST_PARTY_PLUGINS, FIRST_PARTY_PROVIDERS, loadInstalledPlugins } from './registry/first-party.js';
export * from './backend/backends.js';
export { loadWasmBackend, wasmBinaryDir } from './backend/wasm.js';
export {
  TENSORFLOW_PACKAGES, importTensorflowPackage, type TensorflowPackage, type TensorflowImport, type ModuleImporter,
} from './backend/tensorflow.js';
export * from './gradients/conv2d-grad.js';
export * from './registry/kinds.js';
export * from './registry/registry.js';
export * from './registry/plugin.js';
export * from './layout/sequence.js';
export * from './layers/layer.js';
export * from './layers/seq-to-ann.js';
export * from './layers/init.js';
export * from './layers/spatial.js';
export { layerMessages } from './layers/layer-messages.js';
export * from './layers/factories.js';
export * from './layers/conv2d.js';
export * from './layers/linear.js';
export * from './layers/pool.js';
export * from './layers/global-avg-pool.js';
export * from './layers/flatten.js';
export * from './layers/dropout.js';
export * from './layers/sequential.js';
export * from './layers/norm-into-neuron.js';
export * from './layers/basic-block.js';
export * from './layers/bottleneck.js';
export * from './layers/sew-connect.js';
export * from './layers/sew-block.js';
export * from './layers/ms-block.js';
export * from './layers/recurrent-neuron.js';
export * from './layers/readout.js';
export * from './layers/encode-input.js';
export * from './layers/neuron-layers.js';
export * from './model/spiking-model.js';
export * from './io/file-system-handler.js';
export * from './io/durable.js';
export * from './io/weights.js';
export * from './encoders/encoders.js';
export { spikingMessages } from './ops/spiking-messages.js';
export { stbpRectangle } from './ops/default-surrogate.js';
export { spike, isSurrogate } from './ops/spike.js';
export { surrogateGrad } from './ops/surrogate-grad.js';
export { stopGradient } from './ops/stop-gradient.js';
export { lif, type LIFOptions, type LIFImplementation } from './ops/lif.js';
export { lifCustomGrad, lifForwardOps, lifReversePassOps, type LIFPassOptions } from './ops/lif-custom-grad.js';
export { lifStep, lifComposite, type LIFStepOptions } from './ops/lif-composite.js';
export { lifFused, registerLIFGradient } from './ops/lif-fused.js';
export * from './kernels/names.js';
export { resolveSurrogateAttr } from './kernels/resolve-surrogate.js';
export { lifForwardLoop, lifBackwardLoop } from './kernels/loops.js';
export { float32Values } from './kernels/float32-values.js';
export { acceptsAbsentGradients, declareAbsentGradientsAccepted } from './kernels/absent-gradients.js';
export { registerCpuKernels, backendHasKernels } from './kernels/register.js';
export { lifCpu, lifCpuConfig } from './kernels/cpu/lif.js';
export { lifGradCpu, lifGradCpuConfig } from './kernels/cpu/lif-grad.js';
export { surrogateGradCpu, surrogateGradCpuConfig } from './kernels/cpu/surrogate-grad.js';
export { plifFused } from './ops/plif-fused.js';
export { NeuronLayer, type NeuronLayerOptions } from './neurons/neuron-layer.js';
export { LIF, LIF_DEFAULTS, type LIFNeuronOptions } from './neurons/lif-neuron.js';
export { IF, type IFNeuronOptions } from './neurons/if-neuron.js';
export { PLIF, type PLIFNeuronOptions } from './neurons/plif-neuron.js';
export { CubaLIF, CUBA_LIF_DEFAULTS, type CubaLIFNeuronOptions } from './neurons/cuba-lif-neuron.js';
export { LI, type LINeuronOptions } from './neurons/li-neuron.js';
export { cubaLif, cubaLifStep, leakyIntegrate, type CubaLIFState, type CubaLIFStepOptions } from './ops/cuba-lif.js';
export { resolveSurrogateSpec, type SurrogateSpec } from './neurons/surrogate-spec.js';
export { neuronEntries, neuronSchemas } from './neurons/neuron-entries.js';
export { deepspikePlugin } from './plugin.js';
