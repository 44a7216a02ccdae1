import { DeepSpikeError } from '@deepspike/core';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { AccuracyResult } from '../accuracy/run.js';
import { depthHtml } from '../depth/report.js';
import type { DepthResult, DepthRunInfo } from '../depth/run.js';
import { timestepsHtml } from '../timesteps/run.js';
import { messages } from './messages.js';

/** Which page a record file has: a depth ablation (`depth.json` beside `depth.info.json`), a T study (`timesteps.json`), or none. */
function kindOf(records: unknown): 'depth' | 'timesteps' | null {
  if (!Array.isArray(records) || records.length === 0) return null;
  const first = records[0] as Record<string, unknown>;
  if ('depth' in first && 'norm' in first && 'firingRatesInit' in first) return 'depth';
  if ('timesteps' in first && 'accuracy' in first && 'history' in first) return 'timesteps';
  return null;
}

/**
 * Renders the HTML page of one benchmark record file from the file alone (the records of
 * `bench depth --out` or `bench timesteps`), written beside it as `<name>.html`. The pages under
 * docs/paper-claims are produced this way and not kept in git.
 * @param file a `*.json` results file (a depth ablation needs its `*.info.json` beside it)
 * @returns the page written, or null for a record file without a page (an `accuracy` record, an `.info.json`)
 */
export async function renderRecordPage(file: string): Promise<string | null> {
  if (file.endsWith('.info.json')) return null;
  let records: unknown;
  try {
    records = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DeepSpikeError(messages.recordUnreadable(file, err instanceof Error ? err.message : String(err)), { cause: err });
  }
  const kind = kindOf(records);
  if (kind === null) return null;
  const out = file.replace(/\.json$/, '.html');
  if (kind === 'depth') {
    const infoFile = file.replace(/\.json$/, '.info.json');
    if (!existsSync(infoFile)) throw new DeepSpikeError(messages.recordInfoMissing(file, basename(infoFile)));
    const info = JSON.parse(readFileSync(infoFile, 'utf8')) as DepthRunInfo;
    writeFileSync(out, await depthHtml({ info, results: records as DepthResult[] }));
  } else {
    const rows = records as AccuracyResult[];
    const date = rows.map((r) => r.date).sort().at(-1) ?? '';
    writeFileSync(out, await timestepsHtml(rows, [], date));
  }
  return out;
}

/**
 * {@link renderRecordPage} for each path: a file must be a record with a page; a folder renders
 * every record file in it that has one (accuracy records and `.info.json` files are passed over).
 * @returns the pages written
 */
export async function renderRecordPages(paths: readonly string[]): Promise<string[]> {
  const written: string[] = [];
  for (const p of paths) {
    if (existsSync(p) && statSync(p).isDirectory()) {
      for (const f of readdirSync(p).filter((n) => n.endsWith('.json')).sort()) {
        const page = await renderRecordPage(join(p, f));
        if (page) written.push(page);
      }
    } else {
      if (!existsSync(p)) throw new DeepSpikeError(messages.recordMissing(p));
      const page = await renderRecordPage(p);
      if (!page) throw new DeepSpikeError(messages.recordWithoutPage(p));
      written.push(page);
    }
  }
  return written;
}
