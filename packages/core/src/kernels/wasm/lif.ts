import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { lifBackwardLoop, lifForwardLoop } from '../loops.js';
import { DEEPSPIKE_LIF, DEEPSPIKE_LIF_GRAD, type LIFAttrs, type LIFGradAttrs } from '../names.js';

// Outputs are allocated first: allocating may grow the wasm heap, which detaches earlier views.

/** wasm `DeepSpikeLIF`: the shared JS loop ({@link lifForwardLoop}) on views of the wasm heap. */
export const lifWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const x = inputs.x as TensorInfo;
  const { vth, tau } = attrs as unknown as LIFAttrs;
  const o = wasm.makeOutput(x.shape, 'float32');
  const u = wasm.makeOutput(x.shape, 'float32');
  lifForwardLoop(
    wasm.typedArrayFromHeap(x) as Float32Array,
    x.shape[0] as number,
    vth,
    tau,
    wasm.typedArrayFromHeap(u) as Float32Array,
    wasm.typedArrayFromHeap(o) as Float32Array,
  );
  return [o, u];
};

/** wasm `DeepSpikeLIFGrad`: the shared reverse loop ({@link lifBackwardLoop}) on views of the wasm heap. */
export const lifGradWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { tau, detachReset } = attrs as unknown as LIFGradAttrs;
  const u = inputs.u as TensorInfo;
  const dx = wasm.makeOutput(u.shape, 'float32');
  const view = (name: string): Float32Array => wasm.typedArrayFromHeap(inputs[name] as TensorInfo) as Float32Array;
  lifBackwardLoop(view('dSpikes'), view('dU'), view('u'), view('spikes'), view('sg'), u.shape[0] as number, tau, detachReset, wasm.typedArrayFromHeap(dx) as Float32Array);
  return dx;
};

/** Kernel configs registered for the `wasm` backend. */
export const lifWasmConfig: KernelConfig = { kernelName: DEEPSPIKE_LIF, backendName: 'wasm', kernelFunc: lifWasm };
export const lifGradWasmConfig: KernelConfig = { kernelName: DEEPSPIKE_LIF_GRAD, backendName: 'wasm', kernelFunc: lifGradWasm };
