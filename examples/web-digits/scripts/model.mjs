// The checkpoint the page shows: a small mnist-tdbn trained here, never downloaded or committed.
//   node scripts/model.mjs [--steps N]   trains ../mnist-tdbn/mnist-tdbn.snn.json for N steps
//                                        (default 200, about a minute on 2 cores) into model-run/,
//                                        unless model-run/ already holds a checkpoint of N steps.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MODEL_FILE = resolve(here, '..', 'mnist-tdbn', 'mnist-tdbn.snn.json');
export const RUN_DIR = join(here, 'model-run');
export const DEFAULT_STEPS = 200;

/** The step-* folder latest.json of model-run/checkpoint names, or null. */
export function findModelCheckpoint(runDir = RUN_DIR) {
  try {
    const latest = JSON.parse(readFileSync(join(runDir, 'checkpoint', 'latest.json'), 'utf8'));
    const dir = join(runDir, 'checkpoint', latest.dir);
    return existsSync(join(dir, 'state.json')) ? dir : null;
  } catch {
    return null;
  }
}

/** Trains the page's model with the deepspike command unless a checkpoint of `steps` steps exists; returns its folder. */
export function ensureModel(steps = DEFAULT_STEPS, log = (l) => console.log(l)) {
  const found = findModelCheckpoint();
  if (found && JSON.parse(readFileSync(join(found, 'state.json'), 'utf8')).step === steps) return found;
  rmSync(RUN_DIR, { recursive: true, force: true });
  const bin = createRequire(import.meta.url).resolve('deepspike/package.json').replace(/package\.json$/, 'bin/deepspike.js');
  log(`model: training ${MODEL_FILE} for ${steps} steps into ${RUN_DIR}`);
  execFileSync(process.execPath, [bin, 'train', MODEL_FILE, '--max-steps', String(steps), '--out', RUN_DIR, '--no-progress'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const dir = findModelCheckpoint();
  if (!dir) throw new Error(`model: deepspike train finished but ${RUN_DIR}/checkpoint holds no checkpoint; expected step-${String(steps).padStart(8, '0')}. See the log above.`);
  return dir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const flag = process.argv.indexOf('--steps');
  const steps = flag >= 0 ? Number(process.argv[flag + 1]) : DEFAULT_STEPS;
  if (!Number.isInteger(steps) || steps < 1) {
    console.error(`model: --steps must be a positive integer, got ${process.argv[flag + 1]}; expected e.g. --steps 200.`);
    process.exit(2);
  }
  console.log(`model: checkpoint ${ensureModel(steps)}`);
}
