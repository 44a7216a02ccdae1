import { Layer } from './layer.js';

/**
 * Whether a layer is a spiking neuron layer, recognised by the monitoring members of the
 * NeuronLayer contract (`recordRates`, `lastFiringRate`), so neuron kinds from plugins count too.
 */
export function isNeuronLayer(layer: Layer): boolean {
  return 'recordRates' in layer && 'lastFiringRate' in layer;
}

/**
 * Every neuron layer under `root`, by dotted path (`stage1Block1.neuron2`), in declaration order:
 * what trainers read firing rates from.
 */
export function neuronLayersOf(root: Layer, prefix = ''): Map<string, Layer> {
  const out = new Map<string, Layer>();
  for (const [name, child] of root.childLayers()) {
    const path = `${prefix}${name}`;
    if (isNeuronLayer(child)) out.set(path, child);
    for (const [k, v] of neuronLayersOf(child, `${path}.`)) out.set(k, v);
  }
  return out;
}
