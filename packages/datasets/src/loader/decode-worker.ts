/**
 * A decode worker of {@link createLoader} (`workers > 0`): reopens the dataset from its registry `source`
 * and prepares batches with the same code as the main thread, so batches are identical either way.
 */
import { parentPort } from 'node:worker_threads';
import type { Dataset } from '../types.js';
import { datasetEntries } from '../registry-entries.js';
import { prepareBatch } from './prepare.js';
import type { DecodeRequest, DecodeResponse } from './decode-pool.js';

const opened = new Map<string, Promise<Dataset>>();

function open(source: DecodeRequest['source']): Promise<Dataset> {
  const key = JSON.stringify(source);
  let ds = opened.get(key);
  if (!ds) {
    const entry = datasetEntries[source.entry];
    if (!entry) throw new Error(`decode worker: unknown dataset entry "${source.entry}"`);
    ds = entry.open({ ...source.options, progress: false });
    opened.set(key, ds);
  }
  return ds;
}

// Requests are served one after another, so the oldest (the one the loader waits for) finishes first.
let queue: Promise<void> = Promise.resolve();

parentPort!.on('message', (req: DecodeRequest) => {
  queue = queue.then(async () => {
    try {
      const ds = await open(req.source);
      const b = await prepareBatch(ds, req.params, req.epoch, req.indices);
      const res: DecodeResponse = { id: req.id, x: b.x, y: b.y };
      parentPort!.postMessage(res, [b.x.buffer as ArrayBuffer, b.y.buffer as ArrayBuffer]);
    } catch (err) {
      const e = err as Error & { file?: string; offset?: number };
      const res: DecodeResponse = { id: req.id, error: { name: e.name, message: e.message, file: e.file, offset: e.offset } };
      parentPort!.postMessage(res);
    }
  });
});
