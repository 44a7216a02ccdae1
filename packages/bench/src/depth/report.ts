import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { escapeHtml, htmlPage, htmlTable, type ChartSpec } from '../paper/html.js';
import type { DepthResult, DepthRunInfo } from './run.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const structure = (r: DepthResult): string => (r.residual ? 'residual' : 'plain');
const fmt = (v: number | null, d = 3): string | null => (v === null ? null : v.toPrecision(d));

/** Per-layer chart: `field` of every result against layer position, a panel per (structure, depth). */
function perLayer(results: readonly DepthResult[], title: string, pick: (r: DepthResult) => number[], y: string, log: boolean): ChartSpec | null {
  const values = results.flatMap((r) =>
    pick(r)
      .map((v, i) => ({ layer: i + 1, value: v, norm: r.norm, depth: r.depth, structure: structure(r) }))
      .filter((d) => Number.isFinite(d.value) && (!log || d.value > 0)),
  );
  if (values.length === 0) return null;
  return {
    $schema: SCHEMA,
    title,
    data: { values },
    facet: { column: { field: 'depth', type: 'ordinal', title: 'depth' }, row: { field: 'structure', type: 'nominal', title: null } },
    spec: {
      width: 220,
      height: 160,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'layer', type: 'quantitative', title: 'layer (input → output)' },
        y: { field: 'value', type: 'quantitative', title: y, ...(log ? { scale: { type: 'log' } } : {}) },
        color: { field: 'norm', type: 'nominal' },
      },
    },
  } as ChartSpec;
}

/** Per-configuration chart: a scalar against depth, a line per (norm, structure). */
function perDepth(results: readonly DepthResult[], title: string, pick: (r: DepthResult) => number | null, y: string, log: boolean): ChartSpec | null {
  const values = results
    .map((r) => ({ depth: r.depth, value: pick(r), norm: r.norm, structure: structure(r) }))
    .filter((d) => d.value !== null && Number.isFinite(d.value) && (!log || d.value > 0));
  if (values.length === 0) return null;
  return {
    $schema: SCHEMA,
    title,
    width: 420,
    height: 240,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'depth', type: 'quantitative', title: 'depth (weight layers)' },
      y: { field: 'value', type: 'quantitative', title: y, ...(log ? { scale: { type: 'log' } } : {}) },
      color: { field: 'norm', type: 'nominal' },
      strokeDash: { field: 'structure', type: 'nominal' },
    },
  } as ChartSpec;
}

/** The Vega-Lite specs of the depth-ablation page (null when there is nothing to draw). */
export function depthCharts(results: readonly DepthResult[]): { title: string; spec: ChartSpec | null }[] {
  return [
    { title: 'Firing rate per layer at initialisation', spec: perLayer(results, 'Firing rate vs layer depth (init)', (r) => r.firingRatesInit, 'firing rate', false) },
    { title: 'Weight-gradient norm per layer at initialisation', spec: perLayer(results, '||dL/dW|| vs layer depth (init, log)', (r) => r.gradNormsInit, '||dL/dW||', true) },
    { title: 'Firing rate per layer after training', spec: perLayer(results, 'Firing rate vs layer depth (after the steps)', (r) => r.firingRatesFinal, 'firing rate', false) },
    { title: 'Weight-gradient norm per layer after training', spec: perLayer(results, '||dL/dW|| vs layer depth (after the steps, log)', (r) => r.gradNormsFinal, '||dL/dW||', true) },
    { title: 'Gradient ratio (last / first layer) vs depth', spec: perDepth(results, 'last/first weight-gradient norm at init (log)', (r) => r.gradRatioInit, 'ratio', true) },
    { title: 'Test accuracy vs depth', spec: perDepth(results, 'Test accuracy after the steps', (r) => r.accuracy, 'accuracy', false) },
  ];
}

/** The summary table rows of a run. */
export function depthTableRows(results: readonly DepthResult[]): (string | number | null)[][] {
  const range = (a: readonly number[]): string => (a.length === 0 ? '—' : `${Math.min(...a).toFixed(3)}–${Math.max(...a).toFixed(3)}`);
  return results.map((r) => [
    r.depth,
    structure(r),
    r.norm,
    r.init,
    range(r.firingRatesInit),
    range(r.firingRatesFinal),
    fmt(r.gradNormsInit[0] ?? null),
    fmt(r.gradNormsInit[r.gradNormsInit.length - 1] ?? null),
    fmt(r.gradRatioInit),
    fmt(r.gradRatioFinal),
    r.accuracy === null ? null : `${(r.accuracy * 100).toFixed(2)} %`,
    r.seconds.toFixed(1),
  ]);
}

/** Column names of {@link depthTableRows}. */
export const DEPTH_TABLE_HEAD = ['depth', 'structure', 'norm', 'init', 'rates@init', 'rates@final', '|g| first', '|g| last', 'ratio@init', 'ratio@final', 'accuracy', 's'] as const;

/**
 * Writes `depth.json` (the results array, with the run information in `depth.info.json`) and
 * `depth.html` (plots + table) into `dir`.
 * @returns the paths written
 */
export async function writeDepthReport(dir: string, run: { info: DepthRunInfo; results: readonly DepthResult[] }): Promise<{ json: string; html: string }> {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const json = join(out, 'depth.json');
  writeFileSync(json, JSON.stringify(run.results, null, 2) + '\n');
  writeFileSync(join(out, 'depth.info.json'), JSON.stringify(run.info, null, 2) + '\n');
  const html = join(out, 'depth.html');
  writeFileSync(html, await depthHtml(run));
  return { json, html };
}

/** The HTML page (plots + table) of a depth ablation; a function of the records only, so `deepspike bench html` re-renders it from depth.json + depth.info.json. */
export async function depthHtml(run: { info: DepthRunInfo; results: readonly DepthResult[] }): Promise<string> {
  const i = run.info;
  const intro =
    `<p>${escapeHtml(`${i.date} · backend ${i.backend} · ${i.dataset} · ${i.channels} channels · T=${i.timesteps} · batch ${i.batchSize} · ${i.steps} Adam steps (lr 1e-3) · ` +
      `${i.downsample ? 'avg-pool to 14×14 after the first block' : 'full 28×28'}`)}</p><p>Initialisation: ${escapeHtml(i.initDescription)}.</p>` +
    '<p>Per-layer arrays run from input to output. Gradient ratio = last-layer (classifier) / first-layer weight-gradient norm, on one training batch in training mode.</p>';
  const tail = `<h2>Summary</h2>${htmlTable(DEPTH_TABLE_HEAD, depthTableRows(run.results))}<h2>Results (JSON)</h2><pre>${escapeHtml(JSON.stringify(run.results, null, 1))}</pre>`;
  return htmlPage('DeepSpike — depth ablation (STBP-tdBN, issue 9)', intro, depthCharts(run.results), tail);
}
