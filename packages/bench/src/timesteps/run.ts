import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { check } from '@deepspike/core';
import { runAccuracy, type AccuracyOptions, type AccuracyResult } from '../accuracy/run.js';
import { escapeHtml, htmlPage, htmlTable, type ChartSpec } from '../paper/html.js';
import { messages } from '../paper/messages.js';

/** Options of {@link runTimesteps}: those of `runAccuracy` (minus T and out) plus the T list. */
export interface TimestepsOptions extends Omit<AccuracyOptions, 'timesteps' | 'out'> {
  /** Time steps to train and test at (default 1, 2, 4, 6, as the paper's T study). */
  readonly T?: readonly number[];
  /** Folder for the runs (`T<t>/` each) and `timesteps.json` / `timesteps.html` (default `./bench-timesteps`). */
  readonly out?: string;
}

/** The paper's own T study (Zheng et al. 2021, Table 2: CIFAR-10, Spiking ResNet-19, STBP-tdBN). */
export const PAPER_TIMESTEPS = [
  { T: 2, accuracy: 0.9234 },
  { T: 4, accuracy: 0.9292 },
  { T: 6, accuracy: 0.9316 },
] as const;

/**
 * Accuracy against T: trains the model once per T with its file's settings (T overridden) and
 * records the test accuracy of each, mirroring the paper's T study. Writes the runs under `out`,
 * plus `timesteps.json` (the records) and `timesteps.html` (the plot).
 */
export async function runTimesteps(options: TimestepsOptions): Promise<AccuracyResult[]> {
  const ts = options.T ?? [1, 2, 4, 6];
  for (const t of ts) check(Number.isInteger(t) && t >= 1, () => messages.badInt('--T', t, 1));
  const out = resolve(options.out ?? 'bench-timesteps');
  mkdirSync(out, { recursive: true });
  const rows: AccuracyResult[] = [];
  for (const t of ts) {
    const r = await runAccuracy({ ...options, timesteps: t, out: join(out, `T${t}`) });
    options.log?.(`timesteps: T=${t} accuracy ${r.accuracy === null ? 'n/a' : (r.accuracy * 100).toFixed(2) + '%'} (${r.seconds.toFixed(1)} s, ${r.steps} steps)`);
    rows.push(r);
  }
  writeFileSync(join(out, 'timesteps.json'), JSON.stringify(rows, null, 2) + '\n');
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
    ['T', 'accuracy', 'epochs', 'steps', 'seconds', 'backend'],
    rows.map((r) => [r.timesteps, r.accuracy === null ? null : `${(r.accuracy * 100).toFixed(2)} %`, r.epochs, r.steps, r.seconds.toFixed(1), r.backend]),
  );
  const paper = htmlTable(['T', 'paper: CIFAR-10 ResNet-19'], PAPER_TIMESTEPS.map((p) => [p.T, `${(p.accuracy * 100).toFixed(2)} %`]));
  const intro = `<p>${escapeHtml(`${new Date().toISOString()} · ${rows[0]?.file ?? ''} · backend ${rows[0]?.backend ?? ''}`)}</p>`;
  writeFileSync(join(out, 'timesteps.html'), await htmlPage('DeepSpike — accuracy vs time steps', intro, [{ title: 'Accuracy vs T', spec }], `<h2>This run</h2>${table}<h2>The paper</h2>${paper}`));
  return rows;
}
