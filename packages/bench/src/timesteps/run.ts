import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { check, writeFileDurably } from '@deepspike/core';
import { findCheckpoint } from '@deepspike/train';
import { runAccuracy, type AccuracyOptions, type AccuracyResult } from '../accuracy/run.js';
import { escapeHtml, htmlPage, htmlTable, type ChartSpec } from '../paper/html.js';
import { messages } from '../paper/messages.js';

/** Options of {@link runTimesteps}: those of `runAccuracy` (minus T and out) plus the T list. */
export interface TimestepsOptions extends Omit<AccuracyOptions, 'timesteps' | 'out'> {
  /** Time steps to train and test at (default 1, 2, 4, 6, as the paper's T study). */
  readonly T?: readonly number[];
  /** Folder for the runs (`T<t>/` each) and `timesteps.json` / `timesteps.html` (default `./bench-timesteps`). */
  readonly out?: string;
  /**
   * Continue a study in `out`: a T whose `T<t>/accuracy.json` is complete with the same settings is
   * kept as is, a T with a checkpoint resumes from it, the others start. Default false (a fresh study).
   */
  readonly resume?: boolean;
}

/** The paper's own T study (Zheng et al. 2021, Table 2: CIFAR-10, Spiking ResNet-19, STBP-tdBN). */
export const PAPER_TIMESTEPS = [
  { T: 2, accuracy: 0.9234 },
  { T: 4, accuracy: 0.9292 },
  { T: 6, accuracy: 0.9316 },
] as const;

/** A finished record of T in `dir` made with these settings, if there is one. */
function finished(dir: string, o: TimestepsOptions, t: number): AccuracyResult | null {
  const path = join(dir, 'accuracy.json');
  if (!existsSync(path)) return null;
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as AccuracyResult;
    const same = r.complete && r.timesteps === t && r.maxSteps === (o.maxSteps ?? null) && r.evalBatches === (o.evalBatches ?? null) &&
      (o.epochs === undefined || r.plannedEpochs === o.epochs) && (o.batchSize === undefined || r.batchSize === o.batchSize) && (o.seed === undefined || r.seed === o.seed);
    return same ? r : null;
  } catch {
    return null;
  }
}

/** Writes `timesteps.json` (the records so far) and `timesteps.html` (table and plot). */
async function writeStudy(out: string, rows: readonly AccuracyResult[], pending: readonly number[]): Promise<void> {
  await writeFileDurably(join(out, 'timesteps.json'), JSON.stringify(rows, null, 2) + '\n');
  await writeFileDurably(join(out, 'timesteps.html'), await timestepsHtml(rows, pending, new Date().toISOString()));
}

/**
 * The HTML page (table and plot) of a T study; a function of its arguments only, so `deepspike bench
 * html` re-renders it from timesteps.json.
 * @param date shown in the header (a study writes the time of writing; a re-render the newest record's date)
 */
export async function timestepsHtml(rows: readonly AccuracyResult[], pending: readonly number[], date: string): Promise<string> {
  const values = rows.filter((r) => r.accuracy !== null).map((r) => ({ T: r.timesteps, accuracy: r.accuracy, model: r.model }));
  const spec = values.length === 0 ? null : ({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Test accuracy vs T (${rows[0]?.model ?? ''})`,
    width: 420,
    height: 240,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: { x: { field: 'T', type: 'quantitative', title: 'time steps T' }, y: { field: 'accuracy', type: 'quantitative', scale: { zero: false } } },
  } as ChartSpec);
  const table = htmlTable(
    ['T', 'accuracy', 'epochs', 'steps', 'seconds', 'samples/s', 'backend'],
    rows.map((r) => [r.timesteps, r.accuracy === null ? null : `${(r.accuracy * 100).toFixed(2)} %`, r.epochs, r.steps, r.seconds.toFixed(1), r.samplesPerSec.toFixed(1), r.backend]),
  );
  const paper = htmlTable(['T', 'paper: CIFAR-10 ResNet-19'], PAPER_TIMESTEPS.map((p) => [p.T, `${(p.accuracy * 100).toFixed(2)} %`]));
  const left = pending.length > 0 ? ` · not run yet: T = ${pending.join(', ')}` : '';
  const intro = `<p>${escapeHtml(`${date} · ${rows[0]?.file ?? ''} · backend ${rows[0]?.backend ?? ''}${left}`)}</p>`;
  return htmlPage('DeepSpike — accuracy vs time steps', intro, [{ title: 'Accuracy vs T', spec }], `<h2>This run</h2>${table}<h2>The paper</h2>${paper}`);
}

/**
 * Accuracy against T: trains the model once per T with its file's settings (T overridden; `epochs`/
 * `maxSteps` apply to each T) and records the test accuracy of each, mirroring the paper's T study.
 * Writes the runs under `out/T<t>/` and, after every T, `timesteps.json` (the records so far) and
 * `timesteps.html` (the plot), so a study that is stopped keeps the finished T's; `resume` picks it up.
 */
export async function runTimesteps(options: TimestepsOptions): Promise<AccuracyResult[]> {
  const ts = options.T ?? [1, 2, 4, 6];
  for (const t of ts) check(Number.isInteger(t) && t >= 1, () => messages.badInt('--T', t, 1));
  const out = resolve(options.out ?? 'bench-timesteps');
  mkdirSync(out, { recursive: true });
  const rows: AccuracyResult[] = [];
  for (const [i, t] of ts.entries()) {
    const dir = join(out, `T${t}`);
    const kept = options.resume ? finished(dir, options, t) : null;
    let r: AccuracyResult;
    if (kept) {
      r = kept;
      options.log?.(`timesteps: T=${t} already done in ${dir} (kept)`);
    } else {
      const resume = options.resume === true && (await findCheckpoint(dir)) !== null;
      r = await runAccuracy({ ...options, timesteps: t, out: dir, resume });
    }
    options.log?.(`timesteps: T=${t} accuracy ${r.accuracy === null ? 'n/a' : (r.accuracy * 100).toFixed(2) + '%'} (${r.seconds.toFixed(1)} s, ${r.steps} steps, ${r.samplesPerSec.toFixed(1)} samples/s)`);
    rows.push(r);
    await writeStudy(out, rows, ts.slice(i + 1));
  }
  return rows;
}
