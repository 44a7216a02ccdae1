import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

/** A golden tensor as stored in testdata/golden: flat row-major float32 data. */
export interface GoldenTensor {
  readonly shape: number[];
  readonly data: number[];
}

/**
 * The repository's test data folder (golden vectors, NIR files, the PyTorch reference):
 * `$DEEPSPIKE_TESTDATA_DIR`, else `<repo root>/testdata`, the repo root being the nearest ancestor
 * of `from` with a workspaces package.json.
 * @throws Error when no workspace root is above `from` and the variable is not set
 */
export function testdataDir(from: string = process.cwd()): string {
  const env = process.env.DEEPSPIKE_TESTDATA_DIR;
  if (env) return resolve(env);
  let dir = resolve(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && 'workspaces' in (JSON.parse(readFileSync(pkg, 'utf8')) as object)) return join(dir, 'testdata');
    const up = dirname(dir);
    if (up === dir) throw new Error(`testdataDir: no workspace root (a package.json with "workspaces") above ${from}; run from inside the DeepSpike repository or set DEEPSPIKE_TESTDATA_DIR to its testdata/ folder.`);
    dir = up;
  }
}

/**
 * The NIR files of `testdata/nir` that import (paths relative to it): the six real files other
 * frameworks wrote and the two derived ones. `testdata/nir/invalid` holds the broken ones.
 */
export const NIR_FIXTURES: readonly string[] = [
  'lif_norse.nir',
  'lif_rockpool.nir',
  'two_lif_neurons.nir',
  'cnn_sinabs.nir',
  'braille_noDelay_bias_zero.nir',
  'braille_noDelay_noBias_subtract.nir',
  'derived/braille_noDelay_bias_zero_subgraph_fixed.nir',
  'derived/stbp_conv_residual.nir',
];

/** Parses `testdata/golden/<name>` (e.g. `'lif_stbp.json'`). */
export function loadGolden<T = Record<string, unknown>>(name: string): T {
  const file = join(testdataDir(), 'golden', name);
  if (!existsSync(file)) throw new Error(`loadGolden: ${file} does not exist; expected one of the golden files of testdata/golden (see its README.md).`);
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
