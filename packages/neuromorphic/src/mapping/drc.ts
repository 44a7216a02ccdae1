import { isUniform } from '../graph/params.js';
import type { HardwareGraph, PopulationNode } from '../graph/types.js';
import { chipCount } from '../targets/boards.js';
import type { ChipProfile } from '../targets/profile.js';
import type { HardwareLayer } from './layers.js';
import type { Partition } from './partition.js';
import { matchLayersToCores, speckNeed } from './speck-match.js';

/** One broken design rule, with a sentence a person can act on. */
export interface Violation {
  readonly layer: string;
  readonly rule: string;
  readonly value: number | string;
  readonly limit: number | string;
  readonly fix: string;
  /**
   * `error`: the chip cannot run the model as it is; `warning`: the mapper works around it at a cost
   * (an oversized fan-in is split into partial sums on extra cores).
   */
  readonly severity: 'error' | 'warning';
  /** `<layer>: <rule> <value> > <limit> ...: <fix>` */
  readonly message: string;
}

/** What the checker may also look at once the network is quantised. */
export interface DrcExtras {
  /** Weight bits requested for the mapping. */
  readonly weightBits?: number;
  /** Distinct non-zero integer weight values per layer (TrueNorth's axon types). */
  readonly distinctWeights?: Readonly<Record<string, number>>;
  /** Bits needed by each layer's integer (resting) threshold (`LayerQuant.thresholdBits`). */
  readonly thresholdBits?: Readonly<Record<string, number>>;
  /**
   * Bits needed by the highest integer threshold each layer's neurons can reach: the resting threshold
   * plus the adaptive rise `beta/(1-rho)` of an adaptive-threshold population (`LayerQuant.thresholdReachBits`;
   * `Infinity` when the rise is unbounded). The threshold-bits rule checks it when given, else `thresholdBits`.
   */
  readonly thresholdReachBits?: Readonly<Record<string, number>>;
}

const v = (layer: string, rule: string, value: number | string, limit: number | string, sentence: string, fix: string, severity: 'error' | 'warning' = 'error'): Violation => ({
  layer, rule, value, limit, fix, severity, message: `${layer}: ${sentence}: ${fix}`,
});

/**
 * Checks a mapped network against a chip and returns every violation as a sentence, e.g.
 * `lif1: LIF neurons (decay 0.25) but speck runs IF neurons only: retrain with IF neurons ...`.
 * Rules: neuron model (leak, threshold adaptation, synaptic current), per-layer threshold, cores on the chip or
 * board (a fan-in over a core's axons is not a violation: the partition splits it into partial sums, whose cores count here), weight bits, max pooling, axon
 * types (TrueNorth), threshold bits (of the highest threshold a neuron reaches, adaptation included, when
 * `extras.thresholdReachBits` is given), Speck core memories (bipartite matching).
 */
export function checkDesignRules(graph: HardwareGraph, layers: readonly HardwareLayer[], part: Partition, chip: ChipProfile, extras: DrcExtras = {}): Violation[] {
  const out: Violation[] = [];
  for (const n of graph.nodes) {
    if (n.kind === 'population') {
      const p = n as PopulationNode;
      const leaky = !(typeof p.decay === 'number' ? p.decay === 1 : Array.from(p.decay).every((d) => d === 1));
      if (leaky && !chip.neuronModels.value.includes('lif')) {
        out.push(v(p.name, 'neuron-model', 'LIF', 'IF', `LIF neurons (decay ${typeof p.decay === 'number' ? p.decay : 'per channel'}) but ${chip.name} runs IF neurons only`, 'retrain with IF neurons (tau = 1) or pick a chip with leaky neurons (loihi, loihi2, tianjic)'));
      }
      if (!chip.perNeuronThreshold.value && !isUniform(p.threshold)) {
        out.push(v(p.name, 'threshold-per-layer', 'per-channel thresholds', 'one per layer', `per-channel thresholds but ${chip.name} has one threshold per layer`, 'fold tdBN into the weights (--fold weights) so one threshold serves the layer'));
      }
      if (p.adaptation && !chip.thresholdAdaptation?.value) {
        out.push(v(p.name, 'neuron-model', 'adaptive threshold', 'fixed threshold', `spike-triggered threshold adaptation is not available on ${chip.name}`, 'pick a chip with threshold adaptation (e.g. loihi2, or a crossbar with thresholdAdaptation: true) or retrain with a LIF neuron'));
      }
      if (p.synapse) out.push(v(p.name, 'neuron-model', 'current-based synapse', 'none', `a current-based (CubaLIF) synapse is not available on ${chip.name}`, 'convert the synaptic filter away or pick a chip with synaptic currents (loihi)'));
    }
    if (n.kind === 'pool' && n.mode === 'max' && !chip.maxPool) {
      out.push(v(n.name, 'max-pool', 'max pooling', 'sum/avg pooling', `max pooling is not available on ${chip.name}`, 'use average pooling (folded into the next layer\'s weights) or a strided convolution'));
    }
  }
  for (const l of layers) {
    const d = extras.distinctWeights?.[l.name];
    if (chip.axonTypes && d !== undefined && d > chip.axonTypes.value) {
      out.push(v(l.name, 'axon-types', d, chip.axonTypes.value, `${d} distinct weight values > ${chip.axonTypes.value} axon types`, `quantise to at most ${chip.axonTypes.value} weight levels (e.g. --bits 2) or train with ternary weights`));
    }
    const rest = extras.thresholdBits?.[l.name];
    const reach = extras.thresholdReachBits?.[l.name];
    const tb = reach !== undefined && (rest === undefined || reach > rest) ? reach : rest;
    const TB = chip.thresholdBits.value;
    if (tb !== undefined && tb > TB) {
      const fix = 'quantise with fewer weight bits or a per-channel scale so the threshold fits';
      if (tb !== rest) {
        // The resting threshold may fit while the adapted one (threshold + beta/(1-rho)) does not.
        const sentence = Number.isFinite(tb)
          ? `adaptive threshold reaches ${tb} bits (resting ${rest ?? '?'} bits + beta/(1-rho)) > ${TB} bits`
          : `adaptive threshold grows without bound (rho rounds to 1 with the chip's decay bits) > ${TB} bits`;
        out.push(v(l.name, 'threshold-bits', tb, TB, sentence, `${fix}, or retrain with a smaller adaptation beta/(1-rho)`));
      } else {
        out.push(v(l.name, 'threshold-bits', tb, TB, `threshold needs ${tb} bits > ${TB} bits`, fix));
      }
    }
  }
  const bits = extras.weightBits;
  if (bits !== undefined && (bits > chip.weightBits.value || bits < chip.weightBitsRange[0])) {
    out.push(v('(model)', 'weight-bits', bits, chip.weightBits.value, `${bits}-bit weights > ${chip.weightBits.value} bits per weight on ${chip.name}`, `map with --bits ${chip.weightBits.value} or fewer`));
  }
  if (chip.coreKinds) {
    const needs = layers.map(speckNeed);
    if (needs.length > chip.coreKinds.value.length) {
      out.push(v('(model)', 'cores', needs.length, chip.coreKinds.value.length, `${needs.length} layers > ${chip.coreKinds.value.length} cores (one layer per core)`, 'merge layers or reduce depth to fit the chip'));
    } else {
      const match = matchLayersToCores(needs, chip.coreKinds.value);
      match.forEach((m, i) => {
        const n = needs[i];
        if (m === null && n) out.push(v(n.layer, 'core-memory', `kernel ${n.kernelMemory}, neurons ${n.neuronMemory}`, 'a free core with enough kernel and neuron memory', `needs kernel memory ${n.kernelMemory} and neuron memory ${n.neuronMemory}, and no free core holds both`, 'reduce channels or feature-map size of this layer'));
      });
    }
  } else {
    const chips = chipCount(chip);
    const total = chip.cores.value * chips;
    if (part.cores.length > total) {
      const need = Math.ceil(part.cores.length / chip.cores.value);
      const where = chips > 1 ? `${total} cores on ${chips} ${chip.name} chips` : `${total} cores on ${chip.name}`;
      out.push(v('(model)', 'cores', part.cores.length, total, `the model needs ${part.cores.length} cores > ${where}`, `map onto ${need} chips (--chips ${need}, or a board such as --board ${need <= 2 ? 'kapoho-bay' : 'nahuku'} for loihi), or use fewer channels or a smaller input`));
    }
  }
  return out;
}
