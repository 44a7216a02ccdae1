import { InvalidArgumentError } from '@deepspike/core';
import { messages } from '../messages.js';
import type { Board, ChipProfile, Sourced } from './profile.js';

const KAPOHO = 'Intel Neuromorphic Research Community, "Kapoho Bay" USB form-factor system (2 Loihi chips, 262,144 neurons), 2018';
const NAHUKU = 'Intel Labs, "Nahuku" Loihi expansion board (8 to 32 Loihi chips on an Arria 10 FPGA host board), 2019';
const POHOIKI = 'Intel Labs, "Pohoiki Beach" system (64 Loihi chips on Nahuku boards, 8 million neurons), press release, July 2019';
const SPINNAKER2_BOARD = 'Mayr, Höppner, Furber, "SpiNNaker 2: A 10 Million Core Processor System for Brain Simulation and Machine Learning", arXiv:1911.02385, 2019 (48-chip board)';
const HOPS = 'DeepSpike estimate: no per-hop latency is published; latency is given in hops and chip crossings, ns only where a figure exists';

const u = <T>(value: T, source: string, note: string): Sourced<T> => ({ value, source, verified: false, note });

/** A named board: which chip it carries and how many. */
export interface BoardSpec {
  readonly chip: string;
  readonly chips: Sourced<number>;
  /** Chips on the board's 2-D grid `[columns, rows]`; chip-to-chip hops are Manhattan distances. */
  readonly layout: Sourced<readonly [number, number]>;
  readonly description: string;
}

/**
 * Multi-chip boards by name. Chip counts are as published in the announcements cited; the grid each
 * board wires its chips in is not published and is assumed (marked `verified: false`).
 */
export const BOARDS: Readonly<Record<string, BoardSpec>> = {
  'kapoho-bay': { chip: 'loihi', chips: u(2, KAPOHO, 'two Loihi chips as announced; not checked against a datasheet'), layout: u([2, 1], KAPOHO, 'the two chips are assumed linked directly'), description: 'Intel Kapoho Bay (2 Loihi chips, USB)' },
  nahuku: { chip: 'loihi', chips: u(32, NAHUKU, 'the largest Nahuku board carries 32 chips (8-32 as announced)'), layout: u([8, 4], NAHUKU, '8 x 4 chip grid assumed'), description: 'Intel Nahuku (32 Loihi chips)' },
  'nahuku-8': { chip: 'loihi', chips: u(8, NAHUKU, 'the smallest Nahuku board carries 8 chips'), layout: u([4, 2], NAHUKU, '4 x 2 chip grid assumed'), description: 'Intel Nahuku (8 Loihi chips)' },
  'pohoiki-beach': { chip: 'loihi', chips: u(64, POHOIKI, '64 chips as announced'), layout: u([8, 8], POHOIKI, '8 x 8 chip grid assumed'), description: 'Intel Pohoiki Beach (64 Loihi chips)' },
  'spinnaker2-48': { chip: 'spinnaker2', chips: u(48, SPINNAKER2_BOARD, '48 SpiNNaker2 chips per board as described'), layout: u([8, 6], SPINNAKER2_BOARD, '8 x 6 chip grid assumed (the board uses a toroidal chip mesh)'), description: 'SpiNNaker2 48-chip board' },
};

/** The most nearly square `[columns, rows]` grid holding `n` chips. */
export function chipGrid(n: number): [number, number] {
  const cols = Math.ceil(Math.sqrt(n));
  return [cols, Math.ceil(n / cols)];
}

/**
 * A board of `chips` copies of `chip` (`chips = 1` gives the chip back unchanged). Cores per chip, mesh
 * and every per-core limit stay the chip's; the mapper partitions across chips first, then cores.
 * @param name a board name from {@link BOARDS} (its chip count and grid), or omitted for `chips` chips on a near-square grid
 * @throws InvalidArgumentError for a non-positive chip count, an unknown board or a board of another chip
 */
export function onBoard(chip: ChipProfile, options: { chips?: number; name?: string }): ChipProfile {
  if (options.name !== undefined) {
    const spec = BOARDS[options.name];
    if (!spec) throw new InvalidArgumentError(messages.badOption('board', 'name', options.name, `one of ${Object.keys(BOARDS).join(', ')}`));
    if (spec.chip !== chip.name) throw new InvalidArgumentError(messages.badOption(`board ${options.name}`, 'chip', chip.name, `${spec.chip} (the chip ${options.name} carries); pass --target ${spec.chip}`));
    if (options.chips !== undefined && options.chips !== spec.chips.value) throw new InvalidArgumentError(messages.badOption(`board ${options.name}`, 'chips', options.chips, `${spec.chips.value} (the board's own count) or no chip count`));
    return withBoard(chip, { name: options.name, description: spec.description, chips: spec.chips, layout: spec.layout });
  }
  const n = options.chips ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(messages.badOption('board', 'chips', n, 'a positive integer'));
  if (n === 1) return chip;
  if (chip.coreKinds) throw new InvalidArgumentError(messages.badOption(`board of ${chip.name}`, 'chips', n, `1: ${chip.name} maps one layer per core kind and boards of several ${chip.name} chips are not modelled`));
  const src = `${n} x ${chip.name} (chip count given by the user)`;
  return withBoard(chip, { name: null, description: `${n} ${chip.name} chips`, chips: { value: n, source: src, verified: true }, layout: u(chipGrid(n), src, 'near-square chip grid assumed') });
}

function withBoard(chip: ChipProfile, b: Omit<Board, 'interChipSpikeBytes' | 'hopNs' | 'interChipHopNs'>): ChipProfile {
  const board: Board = {
    ...b,
    interChipSpikeBytes: chip.board?.interChipSpikeBytes ?? u(4, HOPS, 'one 32-bit spike (or partial-sum) message per crossing assumed'),
    hopNs: chip.board?.hopNs ?? u(null, HOPS, 'no published per-hop latency'),
    interChipHopNs: chip.board?.interChipHopNs ?? u(null, HOPS, 'no published inter-chip link latency'),
  };
  return { ...chip, description: `${chip.description} — board: ${b.description}`, board };
}

/** Chips of a profile (1 without a board). */
export const chipCount = (chip: ChipProfile): number => chip.board?.chips.value ?? 1;
