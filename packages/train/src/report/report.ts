import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { writeFileDurably } from '@deepspike/core';
import type { MetricsRecord } from '../trainer/metrics.js';
import type { SpikeRaster } from '../trainer/monitor.js';
import type { RunSetting } from '../trainer/run-settings.js';
import { renderSvg } from './charts.js';

/** What {@link writeReport} draws. */
export interface ReportInput {
  readonly title: string;
  /** The run's metrics.jsonl records. */
  readonly metrics: readonly MetricsRecord[];
  /** Spikes of one test sample per neuron layer (`[T][neuron]`). */
  readonly raster: SpikeRaster;
  /** The model spec, shown folded at the end: the effective one, with the run's settings written in. */
  readonly spec?: unknown;
  /** The run's effective training settings and where each came from, shown above the spec. */
  readonly settings?: readonly RunSetting[];
}

const SOURCE_TEXT = { option: 'flag / train() option', file: 'model file', default: 'default', checkpoint: 'resumed checkpoint' } as const;

/** The settings table: setting, value, where it came from (with the file's value it replaced). */
export function settingsHtml(settings: readonly RunSetting[]): string {
  const rows = settings.map((x) => {
    const from = `${SOURCE_TEXT[x.source]}${x.source === 'option' ? ` (${x.flag})` : ''}${x.fileValue === undefined ? '' : `, model file: ${x.fileValue}`}`;
    return `<tr><td>${escape(x.name)}</td><td>${x.value === null ? 'off' : x.value}</td><td>${escape(from)}</td></tr>`;
  });
  return `<table id="settings"><caption>Settings of this run</caption><tr><th>setting</th><th>value</th><th>from</th></tr>${rows.join('')}</table>`;
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The Vega-Lite specs of the report's charts (exported for tests). */
export function reportCharts(input: ReportInput): Record<string, TopLevelSpec | null> {
  const curves = input.metrics.flatMap((r) => [
    { step: r.step, metric: 'loss', split: r.type === 'eval' ? 'test' : 'train', value: r.loss },
    { step: r.step, metric: 'accuracy', split: r.type === 'eval' ? 'test' : 'train', value: r.accuracy },
  ]);
  const rates = input.metrics.filter((r) => r.type === 'train').flatMap((r) => Object.entries(r.firingRates).map(([layer, rate]) => ({ step: r.step, layer, rate })));
  const raster = Object.entries(input.raster).flatMap(([layer, rows]) =>
    rows.flatMap((row, t) => row.flatMap((s, neuron) => (s > 0 ? [{ layer, t, neuron }] : []))),
  );
  const maxT = Math.max(1, ...Object.values(input.raster).map((r) => r.length));
  const maxK = Math.max(1, ...Object.values(input.raster).map((r) => r[0]?.length ?? 0));
  const lines = (metric: string): TopLevelSpec => ({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: metric === 'loss' ? 'Loss' : 'Accuracy',
    width: 420,
    height: 220,
    data: { values: curves.filter((c) => c.metric === metric) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      y: { field: 'value', type: 'quantitative', title: metric, ...(metric === 'loss' ? { scale: { type: 'log' } } : {}) },
      color: { field: 'split', type: 'nominal', title: 'split' },
    },
  });
  return {
    loss: curves.length > 0 ? lines('loss') : null,
    accuracy: curves.length > 0 ? lines('accuracy') : null,
    rates:
      rates.length > 0
        ? {
            $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
            title: 'Firing rate per neuron layer (spikes per neuron per step)',
            width: 420,
            height: 220,
            data: { values: rates },
            mark: 'line',
            encoding: {
              x: { field: 'step', type: 'quantitative' },
              y: { field: 'rate', type: 'quantitative', title: 'firing rate' },
              color: { field: 'layer', type: 'nominal' },
            },
          }
        : null,
    raster:
      raster.length > 0
        ? {
            $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
            title: 'Spike raster of one test sample (neurons sampled evenly over each layer)',
            data: { values: raster },
            facet: { row: { field: 'layer', type: 'nominal', title: null } },
            spec: {
              width: 420,
              height: 90,
              mark: { type: 'square', size: 30, filled: true, color: '#1f4e8c' },
              encoding: {
                x: { field: 't', type: 'quantitative', title: 'time step', scale: { domain: [-0.5, maxT - 0.5] }, axis: { tickMinStep: 1 } },
                y: { field: 'neuron', type: 'quantitative', title: 'neuron', scale: { domain: [0, maxK] } },
              },
            },
          }
        : null,
  };
}

/**
 * Writes `<outDir>/report.html`: a self-contained page (inline SVG charts rendered by Vega, no
 * script, viewable offline) with loss and accuracy curves, per-layer firing rates over training
 * and a spike raster of one test sample.
 * @returns the report's path
 */
export async function writeReport(outDir: string, input: ReportInput): Promise<string> {
  const charts = reportCharts(input);
  const parts: string[] = [];
  for (const [key, spec] of Object.entries(charts)) {
    if (spec) parts.push(`<section id="${key}">${await renderSvg(spec)}</section>`);
  }
  const evals = input.metrics.filter((r) => r.type === 'eval');
  const last = evals[evals.length - 1];
  const summary = last
    ? `<p>Test accuracy <b>${(last.accuracy * 100).toFixed(2)}%</b> (${last.samples ?? '?'} samples, loss ${last.loss.toFixed(4)}) after ${last.step} steps, ${last.elapsed.toFixed(0)} s.</p>`
    : '<p>No evaluation yet.</p>';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(input.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1000px}section{margin:1.5em 0}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}caption{text-align:left;font-weight:bold}pre{background:#f4f4f4;padding:1em;overflow:auto}</style>
</head><body>
<h1>${escape(input.title)}</h1>
${summary}
${parts.join('\n')}
${input.settings ? settingsHtml(input.settings) : ''}
${input.spec ? `<details><summary>Model spec${input.settings ? ' (with the settings above)' : ''}</summary><pre>${escape(JSON.stringify(input.spec, null, 2))}</pre></details>` : ''}
</body></html>
`;
  const path = join(outDir, 'report.html');
  await writeFileDurably(path, html);
  return path;
}
