import type { Command } from 'commander';
import { loadInstalledPlugins, registry } from '@deepspike/core';
import {
  EVENT_FORMAT_NAMES, EVENT_FORMATS, eventsToFrames, frameCounts, normalizeFramesByMax, readEventFile,
  type Dataset,
} from '@deepspike/datasets';
import { CliError } from '../shared/cli-error.js';

const FIRST_EVENTS = 10;

function parseInteger(where: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliError(`${where} got "${value}"; expected an integer >= ${min}.`, 2);
  return n;
}

function parseSize(value: string): [number, number] {
  const parts = value.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || !parts.every((n) => Number.isInteger(n) && n > 0)) {
    throw new CliError(`deepspike dataset frames: --size got "${value}"; expected H,W with positive integers, e.g. 48,48.`, 2);
  }
  return [parts[0]!, parts[1]!];
}

function checkFormat(where: string, format: string | undefined): void {
  if (format !== undefined && !(EVENT_FORMAT_NAMES as readonly string[]).includes(format)) {
    throw new CliError(`${where}: --format got "${format}"; expected one of ${EVENT_FORMAT_NAMES.join(', ')}.`, 2);
  }
}

/** `{format, events, sensor, tMin, tMax, polarity, first}` of an event file. */
export function inspectEventFile(file: string, format?: string): {
  format: string; events: number; sensor: [number, number]; tMin: number | null; tMax: number | null; polarity: [number, number]; first: number[][];
} {
  const r = readEventFile(file, format);
  const { t, x, y, p } = r.events;
  let on = 0;
  let tMin = Number.POSITIVE_INFINITY;
  let tMax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < t.length; i++) {
    on += p[i]!;
    if (t[i]! < tMin) tMin = t[i]!;
    if (t[i]! > tMax) tMax = t[i]!;
  }
  const first: number[][] = [];
  for (let i = 0; i < Math.min(FIRST_EVENTS, t.length); i++) first.push([t[i]!, x[i]!, y[i]!, p[i]!]);
  return {
    format: r.format,
    events: t.length,
    sensor: [r.sensor[0], r.sensor[1]],
    tMin: t.length ? tMin : null,
    tMax: t.length ? tMax : null,
    polarity: [t.length - on, on],
    first,
  };
}

/** Sizes, shapes and classes of a registered dataset. */
function describe(ds: Dataset): Record<string, unknown> {
  return {
    name: ds.name,
    kind: ds.kind,
    sizes: { train: ds.size('train'), test: ds.size('test') },
    inputShape: ds.inputShape,
    batchShape: ds.kind === 'events' ? [ds.inputShape[0], 'N', ...ds.inputShape.slice(1)] : ['N', ...ds.inputShape],
    classes: ds.classes,
    classNames: ds.classNames,
    ...(ds.normalization ? { normalization: ds.normalization } : {}),
  };
}

/** `deepspike dataset inspect|frames|info`: look into event files and datasets. */
export function registerDatasetCommand(program: Command): void {
  const dataset = program.command('dataset').description('inspect event files, integrate them into frames, describe datasets');

  dataset
    .command('inspect <file>')
    .description('decode an event file and print its event count, sensor, time range, polarity balance and first events')
    .option('--format <format>', `event format (${EVENT_FORMAT_NAMES.join('|')}); detected when absent`)
    .option('--json', 'print JSON {format, events, sensor, tMin, tMax, polarity, first}')
    .action((file: string, opts: { format?: string; json?: boolean }) => {
      checkFormat('deepspike dataset inspect', opts.format);
      const r = inspectEventFile(file, opts.format);
      if (opts.json) {
        console.log(JSON.stringify(r));
        return;
      }
      console.log(`${file}: ${EVENT_FORMATS[r.format as keyof typeof EVENT_FORMATS].description}`);
      console.log(`  events   ${r.events}  (off ${r.polarity[0]}, on ${r.polarity[1]})`);
      console.log(`  sensor   ${r.sensor[0]} x ${r.sensor[1]} (width x height)`);
      console.log(`  time     ${r.tMin ?? '-'} .. ${r.tMax ?? '-'} µs`);
      console.log('  first    t x y p');
      for (const e of r.first) console.log(`           ${e.join(' ')}`);
    });

  dataset
    .command('frames <file>')
    .description('integrate an event file into T frames [T, H, W, 2] and print the per-frame polarity counts')
    .option('--format <format>', `event format (${EVENT_FORMAT_NAMES.join('|')}); detected when absent`)
    .requiredOption('--frames <T>', 'number of frames')
    .option('--split-by <how>', 'number (equal event counts) or time (equal durations)', 'number')
    .option('--size <H,W>', 'downsample to H,W (e.g. 48,48)')
    .option('--normalize', 'divide each frame by its largest count (counts are printed before normalising)')
    .option('--json', 'print JSON {shape, counts}')
    .action((file: string, opts: { format?: string; frames: string; splitBy: string; size?: string; normalize?: boolean; json?: boolean }) => {
      checkFormat('deepspike dataset frames', opts.format);
      const frames = parseInteger('deepspike dataset frames: --frames', opts.frames, 1);
      if (opts.splitBy !== 'number' && opts.splitBy !== 'time') {
        throw new CliError(`deepspike dataset frames: --split-by got "${opts.splitBy}"; expected number or time.`, 2);
      }
      const size = opts.size === undefined ? undefined : parseSize(opts.size);
      const r = readEventFile(file, opts.format);
      const sensor: [number, number] = [r.sensor[1], r.sensor[0]];
      if (size && (size[0] > sensor[0] || size[1] > sensor[1])) {
        throw new CliError(`deepspike dataset frames: --size got ${size.join(',')}; expected at most the sensor ${sensor.join(',')} (H,W).`, 2);
      }
      const f = eventsToFrames(r.events, { frames, splitBy: opts.splitBy, sensor, size });
      const counts = frameCounts(f.data, frames);
      if (opts.normalize) normalizeFramesByMax(f.data, frames);
      if (opts.json) {
        console.log(JSON.stringify({ shape: f.shape, counts }));
        return;
      }
      console.log(`${file}: frames [${f.shape.join(', ')}] split by ${opts.splitBy}${f.dropped ? `, ${f.dropped} events outside the sensor dropped` : ''}`);
      counts.forEach(([off, on], i) => console.log(`  frame ${String(i).padStart(3)}  off ${off}  on ${on}`));
    });

  dataset
    .command('info <name>')
    .description('open a registered dataset and print its sizes, shapes and classes')
    .option('--root <dir>', 'folder of the dataset files')
    .option('--frames <T>', 'event datasets: frames per sample (default 10)')
    .option('--size <H,W>', 'event datasets: downsample frames to H,W')
    .option('--json', 'print JSON {name, kind, sizes, inputShape, batchShape, classes, classNames, normalization?}')
    .action(async (name: string, opts: { root?: string; frames?: string; size?: string; json?: boolean }) => {
      await loadInstalledPlugins();
      const entry = registry.get('dataset', name);
      const ds = await entry.open({
        ...(opts.root !== undefined ? { root: opts.root } : {}),
        ...(opts.frames !== undefined ? { frames: parseInteger('deepspike dataset info: --frames', opts.frames, 1) } : {}),
        ...(opts.size !== undefined ? { size: parseSize(opts.size) } : {}),
      });
      const d = describe(ds);
      await ds.close?.();
      if (opts.json) {
        console.log(JSON.stringify(d));
        return;
      }
      console.log(`${ds.name} (${ds.kind}): train ${ds.size('train')}, test ${ds.size('test')}; sample [${ds.inputShape.join(', ')}]; ${ds.classes} classes`);
      console.log(`  classes  ${ds.classNames.join(', ')}`);
    });
}
