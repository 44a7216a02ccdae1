import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

/** A golden tensor as stored in shared/golden: flat row-major float32 data. */
export interface GoldenTensor {
  readonly shape: number[];
  readonly data: number[];
}

/**
 * The shared/ folder beside the repository (CI lays a copy there): `$DEEPSPIKE_SHARED_DIR`, else
 * `<repo root>/../shared`, the repo root being the nearest ancestor of `from` with a workspaces
 * package.json.
 */
export function sharedDir(from: string = process.cwd()): string {
  const env = process.env.DEEPSPIKE_SHARED_DIR;
  if (env) return resolve(env);
  let dir = resolve(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && 'workspaces' in (JSON.parse(readFileSync(pkg, 'utf8')) as object)) return resolve(dir, '..', 'shared');
    const up = dirname(dir);
    if (up === dir) throw new Error(`sharedDir: no workspace root above ${from}; set DEEPSPIKE_SHARED_DIR to the shared/ folder.`);
    dir = up;
  }
}

/** Parses `shared/golden/<name>` (e.g. `'lif_stbp.json'`). */
export function loadGolden<T = Record<string, unknown>>(name: string): T {
  const file = join(sharedDir(), 'golden', name);
  if (!existsSync(file)) throw new Error(`loadGolden: ${file} does not exist; set DEEPSPIKE_SHARED_DIR to the shared/ folder.`);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** A golden tensor as a float32 tf.Tensor (exact bits). */
export function goldenTensor(t: GoldenTensor): tf.Tensor {
  return tf.tensor(new Float32Array(t.data), t.shape, 'float32');
}

/**
 * Converts a golden sequence from PyTorch's `[T, N, C, H, W]` to DeepSpike's `[T, N, H, W, C]`
 * (rank 3 `[T, N, C]` passes through unchanged).
 */
export function goldenSequenceNHWC(t: GoldenTensor): tf.Tensor {
  if (t.shape.length !== 5) return goldenTensor(t);
  return tf.tidy(() => tf.transpose(goldenTensor(t), [0, 1, 3, 4, 2]));
}
