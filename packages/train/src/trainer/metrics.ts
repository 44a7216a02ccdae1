import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

/** One line of `metrics.jsonl`: a logged training step or an evaluation on the test split. */
export interface MetricsRecord {
  readonly type: 'train' | 'eval';
  /** Optimiser steps taken. */
  readonly step: number;
  /** Epoch (0-based) the step belongs to; for `eval`, the epochs completed. */
  readonly epoch: number;
  /** Mean loss (over the logged interval, or over the test split). */
  readonly loss: number;
  /** Accuracy in [0, 1] (over the logged interval, or over the test split). */
  readonly accuracy: number;
  /** Learning rate of the last step (train). */
  readonly lr?: number;
  /** Training throughput over the logged interval. */
  readonly samplesPerSec?: number;
  /** Test samples (eval). */
  readonly samples?: number;
  /** Mean firing rate (spikes per neuron per step) of each neuron layer. */
  readonly firingRates: Readonly<Record<string, number>>;
  /** Wall-clock seconds since the run started (including resumed sessions). */
  readonly elapsed: number;
}

/** Appends records to `metrics.jsonl`, one JSON object per line. */
export class MetricsLog {
  /** @param writes false for a data-parallel rank other than 0: appends and truncations are skipped. */
  constructor(readonly path: string, readonly writes = true) {}

  append(record: MetricsRecord): void {
    if (this.writes) appendFileSync(this.path, `${JSON.stringify(record)}\n`);
  }

  /** Every record (a torn last line from a crash is skipped). */
  read(): MetricsRecord[] {
    if (!existsSync(this.path)) return [];
    const out: MetricsRecord[] = [];
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as MetricsRecord);
      } catch {
        // A line cut by a crash.
      }
    }
    return out;
  }

  /** Drops records past `step` (logged after the checkpoint a resumed run restarts from). */
  truncateAfter(step: number): void {
    if (!this.writes || !existsSync(this.path)) return;
    const keep = this.read().filter((r) => r.step <= step);
    writeFileSync(this.path, keep.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
}
