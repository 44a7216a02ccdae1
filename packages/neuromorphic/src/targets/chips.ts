import type { ChipProfile, CoreKind, Sourced, TargetOptions } from './profile.js';
import { messages } from '../messages.js';
import { InvalidArgumentError } from '@deepspike/core';

const LOIHI = 'Davies et al., "Loihi: A Neuromorphic Manycore Processor with On-Chip Learning", IEEE Micro 38(1), 2018';
const LOIHI2 = 'Intel Labs, "Taking Neuromorphic Computing to the Next Level with Loihi 2", technology brief, 2021';
const TN = 'Merolla et al., "A million spiking-neuron integrated circuit with a scalable communication network and interface", Science 345(6197), 2014';
const TN_AKOPYAN = 'Akopyan et al., "TrueNorth: Design and Tool Flow of a 65 mW 1 Million Neuron Programmable Neurosynaptic Chip", IEEE TCAD 34(10), 2015';
const TJ = 'Pei et al., "Towards artificial general intelligence with hybrid Tianjic chip architecture", Nature 572, 2019';
const SPECK = 'SynSense sinabs-dynapcnn documentation, "DynapCNN/Speck: chip constraints and memory" (sinabs.readthedocs.io)';
const XYLO = 'SynSense Rockpool documentation, "Xylo hardware: Xylo Audio / Xylo IMU specifications" (rockpool.ai)';
const SPINNAKER2 = 'Mayr, Höppner, Furber, "SpiNNaker 2: A 10 Million Core Processor System for Brain Simulation and Machine Learning", arXiv:1911.02385, 2019';
const HOROWITZ = 'Horowitz, "Computing\'s energy problem (and what we can do about it)", ISSCC 2014 (45 nm)';

const v = <T>(value: T, source: string, note?: string): Sourced<T> => (note === undefined ? { value, source, verified: true } : { value, source, verified: true, note });
const u = <T>(value: T, source: string, note: string): Sourced<T> => ({ value, source, verified: false, note });

/** Intel Loihi (2018): 128 cores, 1024 compartments and 4096 fan-in axons per core, 1 Mbit (128 KB) synapse memory per core. */
export const loihi: ChipProfile = {
  name: 'loihi',
  description: 'Intel Loihi (14 nm, 128 neuromorphic cores)',
  cores: v(128, LOIHI),
  mesh: u([8, 16], LOIHI, 'the paper describes a 2-D mesh of 128 cores; the 8 x 16 arrangement is assumed'),
  neuronsPerCore: v(1024, LOIHI, '1024 compartments per core'),
  axonsPerCore: v(4096, LOIHI, '4096 fan-in axons per core'),
  synapseBitsPerCore: v(1024 * 1024, LOIHI, '128 KB synaptic memory per core'),
  weightBits: v(8, LOIHI, 'weights of 1-9 bits (signed 8-bit mantissa) with a per-core exponent'),
  weightBitsRange: [1, 8],
  stateBits: u(24, LOIHI, '24-bit membrane state as recalled from the Loihi/Lava documentation'),
  thresholdBits: u(23, LOIHI, 'threshold mantissa of 17 bits shifted by 6 (vth = mant * 2^6)'),
  decayBits: v(12, LOIHI, 'decay constants of 12 bits (u <- u * (4096 - dv) / 4096)'),
  perNeuronThreshold: u(true, LOIHI, 'per-compartment threshold via compartment profiles; limited number of profiles per core'),
  neuronModels: v(['lif', 'if'], LOIHI),
  maxPool: false,
  convCores: false,
  quantScheme: 'loihi',
  energy: {
    synapticOpPJ: v(23.6, LOIHI, 'minimum energy per synaptic spike op, Table 1'),
    neuronUpdatePJ: u(52, LOIHI, 'energy per active neuron update, Table 1, as recalled'),
    hopPJ: u(4.0, LOIHI, 'energy per tile hop (3.5 E-W / 4.0 N-S) as recalled'),
  },
};

/** Intel Loihi 2 (2021): 128 cores, up to 1M neurons (8192 per core), 120M synapses. */
export const loihi2: ChipProfile = {
  name: 'loihi2',
  description: 'Intel Loihi 2 (Intel 4, 128 neuromorphic cores, graded spikes)',
  cores: v(128, LOIHI2),
  mesh: u([8, 16], LOIHI2, 'mesh arrangement assumed as for Loihi'),
  neuronsPerCore: u(8192, LOIHI2, 'derived: 1M neurons / 128 cores'),
  axonsPerCore: u(8192, LOIHI2, 'not published as one number; memory is shared flexibly'),
  synapseBitsPerCore: u(192 * 1024 * 8, LOIHI2, '192 KB of flexible memory per core, shared between synapses and state'),
  weightBits: v(8, LOIHI2, 'weights up to 8 bits'),
  weightBitsRange: [1, 8],
  stateBits: u(24, LOIHI2, 'assumed as Loihi'),
  thresholdBits: u(24, LOIHI2, 'microcoded neurons; assumed 24'),
  decayBits: u(12, LOIHI2, 'assumed as Loihi'),
  perNeuronThreshold: v(true, LOIHI2, 'programmable (microcoded) neuron models'),
  neuronModels: v(['lif', 'if'], LOIHI2),
  thresholdAdaptation: u(true, LOIHI2, 'programmable (microcoded) neuron models can hold an adaptive threshold; not a listed built-in model'),
  maxPool: false,
  convCores: false,
  quantScheme: 'loihi',
  energy: {
    synapticOpPJ: u(null, LOIHI2, 'no per-op figure in the brief'),
    neuronUpdatePJ: u(null, LOIHI2, 'no per-op figure in the brief'),
    hopPJ: u(null, LOIHI2, 'no per-op figure in the brief'),
  },
};

/** IBM TrueNorth (2014): 4096 cores of 256 axons x 256 neurons, binary crossbar, 4 axon types. */
export const truenorth: ChipProfile = {
  name: 'truenorth',
  description: 'IBM TrueNorth (28 nm, 4096 neurosynaptic cores)',
  cores: v(4096, TN),
  mesh: v([64, 64], TN, '64 x 64 core array'),
  neuronsPerCore: v(256, TN),
  axonsPerCore: v(256, TN),
  synapseBitsPerCore: v(null, TN, 'dense binary crossbar 256 x 256'),
  weightBits: v(9, TN_AKOPYAN, 'signed 9-bit weight per axon type per neuron; synapses are binary'),
  weightBitsRange: [1, 9],
  stateBits: u(20, TN_AKOPYAN, '20-bit membrane potential as recalled'),
  thresholdBits: u(18, TN_AKOPYAN, '18-bit threshold as recalled'),
  decayBits: u(0, TN_AKOPYAN, 'linear leak (constant subtraction), no multiplicative decay'),
  perNeuronThreshold: v(true, TN_AKOPYAN),
  neuronModels: u(['if'], TN_AKOPYAN, 'leak is linear, so STBP multiplicative decay is not representable; IF only'),
  maxPool: false,
  convCores: false,
  axonTypes: v(4, TN),
  quantScheme: 'per-channel',
  energy: {
    synapticOpPJ: u(26, TN, '26 pJ per synaptic event as recalled (46 GSOPS/W gives about 21.7 pJ)'),
    neuronUpdatePJ: u(null, TN, 'not published per update'),
    hopPJ: u(null, TN, 'not published per hop'),
  },
};

/** Tsinghua Tianjic (2019): 156 functional cores, 256 x 256 crossbar each. */
export const tianjic: ChipProfile = {
  name: 'tianjic',
  description: 'Tianjic hybrid ANN/SNN chip (28 nm, 156 functional cores)',
  cores: v(156, TJ),
  mesh: u([12, 13], TJ, '156 = 12 x 13 arrangement assumed'),
  neuronsPerCore: v(256, TJ),
  axonsPerCore: v(256, TJ, '256 x 256 crossbar per functional core'),
  synapseBitsPerCore: u(256 * 256 * 8, TJ, 'dense crossbar of 8-bit weights assumed'),
  weightBits: u(8, TJ, '8-bit weights as recalled'),
  weightBitsRange: [1, 8],
  stateBits: u(16, TJ, 'assumed'),
  thresholdBits: u(16, TJ, 'assumed'),
  decayBits: u(8, TJ, 'assumed'),
  perNeuronThreshold: u(true, TJ, 'assumed'),
  neuronModels: v(['lif', 'if'], TJ),
  maxPool: true,
  convCores: false,
  quantScheme: 'common',
  energy: {
    synapticOpPJ: u(null, TJ, 'no per-op figure used'),
    neuronUpdatePJ: u(null, TJ, 'no per-op figure used'),
    hopPJ: u(null, TJ, 'no per-op figure used'),
  },
};

/** The 9 DYNAP-CNN/Speck cores' kernel and neuron memories (sinabs `DynapcnnConfigBuilder.get_constraints`). */
export const SPECK_CORE_MEMORY: readonly CoreKind[] = [
  { id: 0, kernelMemory: 16384, neuronMemory: 65536 },
  { id: 1, kernelMemory: 16384, neuronMemory: 65536 },
  { id: 2, kernelMemory: 16384, neuronMemory: 65536 },
  { id: 3, kernelMemory: 32768, neuronMemory: 32768 },
  { id: 4, kernelMemory: 32768, neuronMemory: 32768 },
  { id: 5, kernelMemory: 65536, neuronMemory: 16384 },
  { id: 6, kernelMemory: 65536, neuronMemory: 16384 },
  { id: 7, kernelMemory: 16384, neuronMemory: 16384 },
  { id: 8, kernelMemory: 16384, neuronMemory: 16384 },
];

/** SynSense Speck / DynapCNN: 9 conv cores with their own kernel and neuron memories, IF neurons only, one threshold per layer. */
export const speck: ChipProfile = {
  name: 'speck',
  description: 'SynSense Speck (DynapCNN, 9 convolutional cores, IF neurons)',
  cores: v(9, SPECK),
  mesh: u([3, 3], SPECK, 'cores are chained by a router; a 3 x 3 layout is assumed for hops'),
  neuronsPerCore: u(65536, SPECK, 'the largest neuron memory (cores 0-2)'),
  axonsPerCore: u(1024 * 9, SPECK, 'conv cores read kernels of up to 1024 input channels x kernel area; assumed'),
  synapseBitsPerCore: u(65536 * 8, SPECK, 'largest kernel memory x 8-bit weights'),
  weightBits: v(8, SPECK, '8-bit weights'),
  weightBitsRange: [1, 8],
  stateBits: v(16, SPECK, '16-bit neuron states'),
  thresholdBits: v(16, SPECK),
  decayBits: v(0, SPECK, 'no leak: IF neurons'),
  perNeuronThreshold: v(false, SPECK, 'one threshold per layer'),
  neuronModels: v(['if'], SPECK),
  maxPool: false,
  convCores: true,
  coreKinds: u([...SPECK_CORE_MEMORY], SPECK, 'kernel/neuron memory per core as recalled from the sinabs memory table'),
  quantScheme: 'common',
  energy: {
    synapticOpPJ: u(null, SPECK, 'no per-op figure used'),
    neuronUpdatePJ: u(null, SPECK, 'no per-op figure used'),
    hopPJ: u(null, SPECK, 'no per-op figure used'),
  },
};

/** SynSense Xylo (Audio): about 1000 LIF neurons, 16 inputs, 8 readouts, 8-bit weights. */
export const xylo: ChipProfile = {
  name: 'xylo',
  description: 'SynSense Xylo (one recurrent core of about 1000 LIF neurons)',
  cores: u(1, XYLO, 'one SNN core'),
  mesh: u([1, 1], XYLO, 'single core'),
  neuronsPerCore: u(1000, XYLO, '1000 hidden neurons as recalled'),
  axonsPerCore: u(1000, XYLO, 'input + recurrent fan-in; 16 external input channels'),
  synapseBitsPerCore: u(1000 * 1000 * 8, XYLO, 'dense recurrent weights assumed'),
  weightBits: v(8, XYLO, '8-bit weights'),
  weightBitsRange: [1, 8],
  stateBits: u(16, XYLO, 'assumed'),
  thresholdBits: u(16, XYLO, 'assumed'),
  decayBits: u(4, XYLO, 'decay by bit shift (dash) as recalled'),
  perNeuronThreshold: v(true, XYLO),
  neuronModels: v(['lif'], XYLO),
  maxPool: false,
  convCores: false,
  quantScheme: 'common',
  energy: {
    synapticOpPJ: u(null, XYLO, 'no per-op figure used'),
    neuronUpdatePJ: u(null, XYLO, 'no per-op figure used'),
    hopPJ: u(null, XYLO, 'no per-op figure used'),
  },
};

/**
 * SpiNNaker2 (2019): 152 ARM Cortex-M4F processing elements per chip, each with 128 KB SRAM; neurons
 * are software, so the per-core limits below are those of a typical LIF kernel, not of silicon.
 */
export const spinnaker2: ChipProfile = {
  name: 'spinnaker2',
  description: 'SpiNNaker2 (22 nm FDSOI, 152 ARM processing elements)',
  cores: v(152, SPINNAKER2, '152 processing elements (38 quad-PEs) per chip'),
  mesh: u([19, 8], SPINNAKER2, 'the quad-PEs sit on a NoC; a 19 x 8 PE grid is assumed for hops'),
  neuronsPerCore: u(1024, SPINNAKER2, 'software-defined; 1024 LIF neurons per PE assumed'),
  axonsPerCore: u(8192, SPINNAKER2, 'software-defined; synaptic rows per PE bounded by SRAM, 8192 assumed'),
  synapseBitsPerCore: u(96 * 1024 * 8, SPINNAKER2, '128 KB SRAM per PE, 96 KB assumed free for synapses'),
  weightBits: u(8, SPINNAKER2, 'software-defined; 8-bit weights assumed'),
  weightBitsRange: [1, 16],
  stateBits: u(32, SPINNAKER2, 'software fixed point; 32-bit state assumed'),
  thresholdBits: u(32, SPINNAKER2, 'software fixed point assumed'),
  decayBits: u(16, SPINNAKER2, 'software fixed point assumed'),
  perNeuronThreshold: u(true, SPINNAKER2, 'software neurons'),
  neuronModels: v(['lif', 'if'], SPINNAKER2),
  maxPool: false,
  convCores: false,
  quantScheme: 'per-channel',
  energy: {
    synapticOpPJ: u(null, SPINNAKER2, 'no per-op figure used'),
    neuronUpdatePJ: u(null, SPINNAKER2, 'no per-op figure used'),
    hopPJ: u(null, SPINNAKER2, 'no per-op figure used'),
  },
};

const num = (o: TargetOptions, k: string, d: number): number => {
  const x = o[k];
  if (x === undefined) return d;
  if (typeof x !== 'number' || !Number.isInteger(x) || x <= 0) throw new InvalidArgumentError(messages.badOption('target crossbar', k, x, 'a positive integer'));
  return x;
};

/**
 * A generic crossbar chip: `cores` cores on a `meshX x meshY` mesh, each an `axons x neurons` dense
 * crossbar of `weightBits` weights. Defaults 64 cores, 256 x 256, 8 bits, 45 nm energy figures, no
 * threshold adaptation. Every option is described by its schema fragment (TARGET_SCHEMAS).
 */
export function crossbar(options: TargetOptions = {}): ChipProfile {
  const cores = num(options, 'cores', 64);
  const side = Math.ceil(Math.sqrt(cores));
  const src = 'DeepSpike generic crossbar (parameters given by the user)';
  return {
    name: 'crossbar',
    description: `generic crossbar (${cores} cores of ${num(options, 'axons', 256)} x ${num(options, 'neurons', 256)})`,
    cores: v(cores, src),
    mesh: v([num(options, 'meshX', side), num(options, 'meshY', Math.ceil(cores / num(options, 'meshX', side)))], src),
    neuronsPerCore: v(num(options, 'neurons', 256), src),
    axonsPerCore: v(num(options, 'axons', 256), src),
    synapseBitsPerCore: v(null, src, 'dense crossbar'),
    weightBits: v(num(options, 'weightBits', 8), src),
    weightBitsRange: [1, 16],
    stateBits: v(num(options, 'stateBits', 24), src),
    thresholdBits: v(num(options, 'thresholdBits', 24), src),
    decayBits: v(num(options, 'decayBits', 12), src),
    perNeuronThreshold: v(options.perNeuronThreshold !== false, src),
    neuronModels: v(['lif', 'if'], src),
    thresholdAdaptation: v(options.thresholdAdaptation === true, src),
    maxPool: false,
    convCores: false,
    quantScheme: options.quantScheme === 'per-channel' || options.quantScheme === 'loihi' ? options.quantScheme : 'common',
    energy: {
      synapticOpPJ: v(typeof options.synapticOpPJ === 'number' ? options.synapticOpPJ : 0.9, HOROWITZ, '45 nm 32-bit float add'),
      neuronUpdatePJ: v(typeof options.neuronUpdatePJ === 'number' ? options.neuronUpdatePJ : 0.9, HOROWITZ, 'one add per neuron update assumed'),
      hopPJ: u(typeof options.hopPJ === 'number' ? options.hopPJ : null, src, 'no hop energy unless given'),
    },
  };
}

/** The built-in chips by name (crossbar is a factory). */
export const BUILTIN_CHIPS: Readonly<Record<string, ChipProfile>> = { loihi, loihi2, truenorth, tianjic, speck, xylo, spinnaker2 };
