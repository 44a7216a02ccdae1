import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DeepSpikeError } from '@deepspike/core';
import { messages } from '../messages.js';
import { CHECKPOINT_DIR, findCheckpoint, removeStaleTemps } from '../checkpoint/checkpoint.js';

/** Where a run lives, and the checkpoint it continues from (null for a fresh run). */
export interface RunFolder {
  readonly outDir: string;
  readonly ckptDir: string;
  readonly resumeFrom: string | null;
}

const timestamp = (): string => new Date().toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');

/** The newest run directory of `runsDir` holding a checkpoint. */
function newestRun(runsDir: string): string | null {
  if (!existsSync(runsDir)) return null;
  const runs = readdirSync(runsDir).filter((d) => existsSync(join(runsDir, d, CHECKPOINT_DIR))).sort();
  return runs.length > 0 ? join(runsDir, runs[runs.length - 1] as string) : null;
}

/** The run directory a checkpoint path belongs to. */
function runDirOf(path: string): string {
  const p = resolve(path);
  if (existsSync(join(p, 'state.json'))) return dirname(dirname(p));
  if (basename(p) === CHECKPOINT_DIR) return dirname(p);
  return p;
}

/**
 * Chooses and prepares the run folder: `out`, or `<model folder>/runs/<timestamp>`; with `resume`,
 * the run of the checkpoint to continue (the `out` run, the newest run of the model, or a given
 * path). Removes stale checkpoint temps; a fresh run refuses a folder that already holds a run.
 */
export async function prepareRunFolder(options: { readonly specFile?: string; readonly out?: string; readonly resume?: boolean | string }): Promise<RunFolder> {
  const modelDir = options.specFile ? dirname(resolve(options.specFile)) : process.cwd();
  let outDir: string;
  let resumeFrom: string | null = null;
  if (options.resume) {
    const base = typeof options.resume === 'string' ? options.resume : (options.out ?? newestRun(join(modelDir, 'runs')) ?? join(modelDir, 'runs'));
    resumeFrom = await findCheckpoint(base);
    if (!resumeFrom) throw new DeepSpikeError(messages.noCheckpoint(resolve(base)));
    outDir = options.out ? resolve(options.out) : runDirOf(resumeFrom);
  } else {
    outDir = resolve(options.out ?? join(modelDir, 'runs', timestamp()));
  }
  const ckptDir = join(outDir, CHECKPOINT_DIR);
  mkdirSync(outDir, { recursive: true });
  await removeStaleTemps(ckptDir);
  if (!resumeFrom) {
    // A fresh run must not mix with an earlier run's checkpoints (a step-N directory that exists is
    // never rewritten) or its metrics.
    const earlier = await findCheckpoint(outDir);
    if (earlier) throw new DeepSpikeError(messages.outHoldsRun(outDir, earlier));
    rmSync(join(outDir, 'metrics.jsonl'), { force: true });
  }
  return { outDir, ckptDir, resumeFrom };
}
