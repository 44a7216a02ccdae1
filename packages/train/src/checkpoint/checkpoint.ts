import { promises as fs, existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensorMap, Tensor, Variable } from '@tensorflow/tfjs-core';
import { DeepSpikeError, FileSystemHandler, assignWeights, readWeights, saveWeights } from '@deepspike/core';
import type { LoaderState } from '@deepspike/datasets';
import { messages } from '../messages.js';
import { syncDir, writeFileDurably } from '@deepspike/core';

/**
 * Checkpoint directory layout (owned by `@deepspike/train`):
 *
 * ```
 * <run>/checkpoint/
 *   latest.json                 {"step": 1200, "dir": "step-00001200"} — replaced atomically, last
 *   step-00001200/              one complete checkpoint, appeared by an atomic rename
 *     weights/model.json + weights-<hash>.bin     parameters and buffers (core's saveWeights)
 *     optimizer/model.json + weights-<hash>.bin   optimiser slots by "<slot>/<param>"
 *     state.json                epoch/step, loader (data-order RNG) state, optimiser iterations,
 *                               schedule position, seed, spec hash and the spec itself
 *   .tmp-step-00001300-<pid>/   a checkpoint being written (ignored and removed on the next run)
 * ```
 *
 * A checkpoint is written into a temp directory (every file fsynced, state.json last), the
 * directory is fsynced and renamed to `step-<n>`, then `latest.json` is replaced. A SIGKILL at any
 * moment leaves either the previous checkpoints or the new one complete; loading falls back to the
 * newest complete `step-*` directory when `latest.json` is missing or names a removed one.
 */
export const CHECKPOINT_DIR = 'checkpoint';
const STATE_FILE = 'state.json';
const LATEST_FILE = 'latest.json';
const FORMAT = 'deepspike-checkpoint';

/** The JSON state of a checkpoint (`state.json`). */
export interface CheckpointState {
  readonly format: typeof FORMAT;
  readonly version: 1;
  /** Optimiser steps taken. */
  readonly step: number;
  /** Epochs completed (the loader's epoch). */
  readonly epoch: number;
  /** The training loader's position: resuming restores the exact data order. */
  readonly loader: LoaderState;
  readonly optimizer: { readonly name: string; readonly iterations: number };
  /** The schedule is a pure function of the step; its position is `step`. */
  readonly schedule: { readonly name: string; readonly position: number };
  readonly seed: number;
  readonly specHash: string;
  readonly spec: unknown;
  readonly backend: string;
  readonly createdAt: string;
  /** Anything else the trainer keeps (best accuracy, elapsed time...). */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** What {@link saveCheckpoint} writes. */
export interface CheckpointContents {
  readonly weights: ReadonlyMap<string, Tensor>;
  readonly optimizer: ReadonlyMap<string, Tensor>;
  readonly state: Omit<CheckpointState, 'format' | 'version' | 'createdAt'>;
}

const stepDir = (step: number): string => `step-${String(step).padStart(8, '0')}`;

/**
 * Writes a checkpoint atomically under `<checkpointDir>/step-<step>` and points `latest.json` at it,
 * keeping the newest `keep` checkpoints.
 * @returns the checkpoint's directory
 */
export async function saveCheckpoint(checkpointDir: string, contents: CheckpointContents, keep = 2): Promise<string> {
  const root = resolve(checkpointDir);
  await fs.mkdir(root, { recursive: true });
  const name = stepDir(contents.state.step);
  const final = join(root, name);
  if (!existsSync(join(final, STATE_FILE))) {
    const tmp = join(root, `.tmp-${name}-${process.pid}`);
    await fs.rm(tmp, { recursive: true, force: true });
    await fs.mkdir(tmp, { recursive: true });
    await saveWeights(contents.weights, new FileSystemHandler(join(tmp, 'weights')), { specHash: contents.state.specHash, step: contents.state.step });
    await saveWeights(contents.optimizer, new FileSystemHandler(join(tmp, 'optimizer')), { optimizer: contents.state.optimizer.name });
    const state: CheckpointState = { format: FORMAT, version: 1, ...contents.state, createdAt: new Date().toISOString() };
    await writeFileDurably(join(tmp, STATE_FILE), JSON.stringify(state, null, 1));
    await syncDir(tmp);
    await fs.rm(final, { recursive: true, force: true });
    await fs.rename(tmp, final);
    await syncDir(root);
  }
  await writeFileDurably(join(root, LATEST_FILE), JSON.stringify({ step: contents.state.step, dir: name }));
  await syncDir(root);
  const all = await listCheckpoints(root);
  for (const old of all.slice(0, Math.max(0, all.length - keep))) await fs.rm(join(root, old), { recursive: true, force: true });
  return final;
}

/** `step-*` checkpoint directories holding a state.json, oldest first. */
async function listCheckpoints(root: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(root);
  } catch {
    return [];
  }
  return names.filter((n) => /^step-\d{8,}$/.test(n) && existsSync(join(root, n, STATE_FILE))).sort();
}

/** Removes temp directories left by a checkpoint write that was killed. */
export async function removeStaleTemps(checkpointDir: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(checkpointDir);
  } catch {
    return;
  }
  for (const n of names) if (n.startsWith('.tmp-') || n.includes('.tmp-')) await fs.rm(join(checkpointDir, n), { recursive: true, force: true });
}

/**
 * Finds the checkpoint to load from a path that may be a run directory, its `checkpoint/`
 * directory or one `step-*` directory: the one `latest.json` names, else the newest complete one.
 * @returns the `step-*` directory, or null when there is none
 */
export async function findCheckpoint(path: string): Promise<string | null> {
  const p = resolve(path);
  if (existsSync(join(p, STATE_FILE))) return p;
  const root = existsSync(join(p, CHECKPOINT_DIR)) && statSync(join(p, CHECKPOINT_DIR)).isDirectory() ? join(p, CHECKPOINT_DIR) : p;
  try {
    const latest = JSON.parse(await fs.readFile(join(root, LATEST_FILE), 'utf8')) as { dir?: unknown };
    if (typeof latest.dir === 'string' && existsSync(join(root, basename(latest.dir), STATE_FILE))) return join(root, basename(latest.dir));
  } catch {
    // latest.json missing or damaged: fall back to scanning.
  }
  const all = await listCheckpoints(root);
  return all.length > 0 ? join(root, all[all.length - 1] as string) : null;
}

/** A checkpoint read back by {@link loadCheckpoint}. */
export interface LoadedCheckpoint {
  readonly dir: string;
  readonly state: CheckpointState;
  /** Optimiser slots (owned by the caller: dispose them). */
  readonly optimizer: NamedTensorMap;
}

/**
 * Reads a checkpoint's state and optimiser slots and assigns its weights to `params`.
 * @throws DeepSpikeError naming the directory and the cause when it cannot load
 */
export async function loadCheckpoint(dir: string, params: ReadonlyMap<string, Variable>): Promise<LoadedCheckpoint> {
  const state = await readCheckpointState(dir);
  const { tensors } = await readWeights(new FileSystemHandler(join(dir, 'weights')));
  assignWeights(params, tensors);
  const { tensors: optimizer } = await readWeights(new FileSystemHandler(join(dir, 'optimizer')));
  return { dir, state, optimizer };
}

/** Reads and checks `state.json` of a checkpoint directory. */
export async function readCheckpointState(dir: string): Promise<CheckpointState> {
  let state: CheckpointState;
  try {
    state = JSON.parse(await fs.readFile(join(dir, STATE_FILE), 'utf8')) as CheckpointState;
  } catch (err) {
    throw new DeepSpikeError(messages.checkpointDamaged(dir, (err as Error).message), { cause: err });
  }
  if (state.format !== FORMAT || !Number.isInteger(state.step)) {
    throw new DeepSpikeError(messages.checkpointDamaged(dir, `format ${JSON.stringify(state.format)} step ${JSON.stringify(state.step)}`));
  }
  return state;
}

/** Frees tensors of a loaded checkpoint. */
export function disposeCheckpoint(c: LoadedCheckpoint): void {
  tf.dispose(Object.values(c.optimizer));
}
