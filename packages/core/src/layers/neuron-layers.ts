import { NeuronLayer } from '../neurons/neuron-layer.js';
import type { Layer } from './layer.js';

/**
 * Whether a layer is a spiking neuron layer: a {@link NeuronLayer}, or a layer with its monitoring
 * and single-step members (`recordRates`, `lastFiringRate`, `step`) — so a neuron class from a
 * second copy of @deepspike/core (or a plugin that implements the contract itself) counts too.
 */
export function isNeuronLayer(layer: Layer): layer is NeuronLayer {
  if (layer instanceof NeuronLayer) return true;
  const l = layer as unknown as Record<string, unknown>;
  return 'recordRates' in l && 'lastFiringRate' in l && typeof l.step === 'function';
}

/**
 * Every neuron layer under `root`, by dotted path (`stage1Block1.neuron2`), in declaration order:
 * what trainers read firing rates from.
 */
export function neuronLayersOf(root: Layer, prefix = ''): Map<string, NeuronLayer> {
  const out = new Map<string, NeuronLayer>();
  for (const [name, child] of root.childLayers()) {
    const path = `${prefix}${name}`;
    if (isNeuronLayer(child)) out.set(path, child);
    for (const [k, v] of neuronLayersOf(child, `${path}.`)) out.set(k, v);
  }
  return out;
}
