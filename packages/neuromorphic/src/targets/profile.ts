import type { EntryBase } from '@deepspike/core';
/**
 * Chip profiles: the numbers the mapper, design-rule checker and energy model use, each with the
 * public source it comes from and whether it was checked against that source (`verified: false`
 * marks numbers recalled, derived or estimated — treat them as placeholders until checked).
 */

/** A number (or value) with its provenance. */
export interface Sourced<T> {
  readonly value: T;
  /** Public source: paper, datasheet or documentation page. */
  readonly source: string;
  /** false when not checked against the source (recalled, derived or estimated). */
  readonly verified: boolean;
  readonly note?: string;
}

/** One kind of core on a heterogeneous chip (Speck's nine conv cores differ in memory). */
export interface CoreKind {
  readonly id: number;
  /** Kernel (weight) memory in words. */
  readonly kernelMemory: number;
  /** Neuron state memory in words. */
  readonly neuronMemory: number;
}

/**
 * A board of several identical chips (Kapoho Bay: 2 Loihi; Nahuku: 32; SpiNNaker2: 48). The chip's
 * numbers stay per chip; the mapper partitions the model across chips first, then onto each chip's cores.
 */
export interface Board {
  /** Board name (e.g. `kapoho-bay`), or null for a user-given chip count. */
  readonly name: string | null;
  readonly description: string;
  readonly chips: Sourced<number>;
  /** Chips on a 2-D grid `[columns, rows]`; chip hops are Manhattan distances. */
  readonly layout: Sourced<readonly [number, number]>;
  /** Bytes one spike (or partial-sum value) takes across a chip boundary. */
  readonly interChipSpikeBytes: Sourced<number>;
  /** Latency of one core-to-core hop inside a chip, and of one chip-to-chip crossing, in ns (null: unpublished). */
  readonly hopNs: Sourced<number | null>;
  readonly interChipHopNs: Sourced<number | null>;
}

/** Everything DeepSpike knows about a chip. */
export interface ChipProfile {
  readonly name: string;
  readonly description: string;
  /** Cores per chip. */
  readonly cores: Sourced<number>;
  /** The board when the target is several chips (see onBoard); absent for one chip. */
  readonly board?: Board;
  /** Cores on a 2-D mesh `[columns, rows]`; hops are Manhattan distances. */
  readonly mesh: Sourced<readonly [number, number]>;
  readonly neuronsPerCore: Sourced<number>;
  /** Input axons (distinct presynaptic inputs) per core. */
  readonly axonsPerCore: Sourced<number>;
  /** Synapse memory per core in bits (null: a dense crossbar, axons x neurons). */
  readonly synapseBitsPerCore: Sourced<number | null>;
  /** Weight bit width (signed), and the range a mapping may choose from. */
  readonly weightBits: Sourced<number>;
  readonly weightBitsRange: readonly [number, number];
  /** Bits of the membrane state and of the threshold. */
  readonly stateBits: Sourced<number>;
  readonly thresholdBits: Sourced<number>;
  /** Bits of the decay factor's fixed-point representation (`u <- u * m / 2^bits`). */
  readonly decayBits: Sourced<number>;
  /** Threshold per neuron/channel (true) or one per layer/core (false). */
  readonly perNeuronThreshold: Sourced<boolean>;
  /** Neuron models the chip runs. */
  readonly neuronModels: Sourced<readonly ('lif' | 'if')[]>;
  /**
   * Whether neurons can carry a spike-triggered threshold adaptation (`theta += beta` per spike,
   * decaying back by `rho` per step; see PopulationNode.adaptation). Absent means no.
   */
  readonly thresholdAdaptation?: Sourced<boolean>;
  /** Max pooling available on the chip. */
  readonly maxPool: boolean;
  /** Convolutions as native conv cores with shared kernels (Speck) vs unrolled synapses. */
  readonly convCores: boolean;
  /** Binary crossbar with this many axon types (TrueNorth): at most this many distinct weights per neuron. */
  readonly axonTypes?: Sourced<number>;
  /** Heterogeneous cores (Speck); layers are assigned by bipartite matching. */
  readonly coreKinds?: Sourced<readonly CoreKind[]>;
  /** Quantisation scheme the chip's weight format implies. */
  readonly quantScheme: 'common' | 'per-channel' | 'loihi';
  /** Energy per operation in pJ (null where no public figure exists). */
  readonly energy: {
    readonly synapticOpPJ: Sourced<number | null>;
    readonly neuronUpdatePJ: Sourced<number | null>;
    readonly hopPJ: Sourced<number | null>;
  };
}

/** Options accepted by a target factory (`hardware.options` of a model file; see TARGET_SCHEMAS for the built-in ones). */
export type TargetOptions = Readonly<Record<string, unknown>>;

/** A chip target: builds its profile (kind `target`, registered by @deepspike/neuromorphic). */
export interface TargetEntry extends EntryBase {
  create(options?: TargetOptions): ChipProfile;
}

declare module '@deepspike/core' {
  /** The registry kind `target` (added by declaration merging). */
  interface RegistryKinds {
    target: TargetEntry;
  }
}
