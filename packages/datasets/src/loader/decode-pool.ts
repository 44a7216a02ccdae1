import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DeepSpikeError, InvalidArgumentError } from '@deepspike/core';
import type { DatasetSource } from '../types.js';
import { DatasetFormatError } from '../errors.js';
import type { PrepareParams, PreparedBatch } from './prepare.js';

/** A batch to decode in a worker. */
export interface DecodeRequest {
  readonly id: number;
  readonly source: DatasetSource;
  readonly params: PrepareParams;
  readonly epoch: number;
  readonly indices: Int32Array;
}

/** A worker's answer: the batch, or the error (rebuilt with its class in the main thread). */
export type DecodeResponse =
  | { readonly id: number; readonly x: Float32Array; readonly y: Int32Array; readonly error?: undefined }
  | { readonly id: number; readonly error: { name: string; message: string; file?: string; offset?: number } };

function rebuild(e: { name: string; message: string; file?: string; offset?: number }): Error {
  if (e.name === 'DatasetFormatError') return new DatasetFormatError(e.message, e.file ?? '', e.offset);
  if (e.name === 'InvalidArgumentError') return new InvalidArgumentError(e.message);
  return new DeepSpikeError(e.message);
}

/**
 * A pool of decode workers (worker_threads) that run the loader's batch preparation off the main thread,
 * so decoding really overlaps a training step that keeps the main thread busy (tf.js CPU/WASM kernels).
 * Workers are unref'ed (they never keep the process alive); `close()` terminates them.
 */
export class DecodePool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (b: PreparedBatch) => void; reject: (e: Error) => void }>();
  private next = 0;
  private ids = 0;

  constructor(size: number) {
    const self = import.meta.url;
    const source = self.endsWith('.ts');
    const url = new URL(source ? './decode-worker.ts' : './decode-worker.js', self);
    this.workers = Array.from({ length: size }, () => {
      // Running from TypeScript sources (tests, tsx): Node 20 workers do not inherit tsx's loader hooks, so the
      // worker imports its entry through tsx's tsImport (the ESM build of tsx/esm/api).
      const tsx = pathToFileURL(createRequire(self).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
      const w = source
        ? new Worker(`import(${JSON.stringify(tsx)}).then((m) => m.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(self)}));`, { eval: true })
        : new Worker(url);
      w.unref();
      w.on('message', (res: DecodeResponse) => {
        const p = this.pending.get(res.id);
        if (!p) return;
        this.pending.delete(res.id);
        if (res.error) p.reject(rebuild(res.error));
        else p.resolve({ x: res.x, y: res.y });
      });
      w.on('error', (err) => {
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
      return w;
    });
  }

  /** Decodes one batch on the next worker (round robin). */
  run(req: Omit<DecodeRequest, 'id'>): Promise<PreparedBatch> {
    const id = ++this.ids;
    const worker = this.workers[this.next++ % this.workers.length]!;
    return new Promise<PreparedBatch>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...req, id });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
