import * as tf from '@tensorflow/tfjs-core';
import type { io } from '@tensorflow/tfjs-core';
import type { ModelSpec } from '@deepspike/dsl';
import { messages } from './messages.js';

/** A fetch function (the browser's `fetch`, or Node's). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** What a served checkpoint provides: the model spec and a tf.js weights handler. */
export interface CheckpointSource {
  /** The model spec the checkpoint was trained from (`spec` of its state.json, written by `train()` from a validated spec). */
  readonly spec: ModelSpec;
  /** Optimiser steps taken when it was written (`step` of state.json), when known. */
  readonly step: number | undefined;
  /** Reads `weights/model.json` + its `.bin` shards (tf.js's HTTP handler). */
  readonly weights: io.IOHandler;
  /** The checkpoint folder's URL, with a trailing slash. */
  readonly url: string;
}

/**
 * Points at a checkpoint served over HTTP: a `step-*` folder of a run's `checkpoint/` as
 * `deepspike train` writes it (`state.json` + `weights/model.json` + `weights/*.bin`, in tf.js's
 * weights format). The optimiser slots beside them are never fetched.
 * @param url the folder's URL, absolute or relative to the page
 * @param fetchFunc default: the global `fetch`
 * @throws Error naming the URL when state.json cannot be fetched, is not JSON or holds no spec
 */
export async function fetchCheckpoint(url: string, fetchFunc: FetchLike = (u, i) => fetch(u, i)): Promise<CheckpointSource> {
  const base = url.endsWith('/') ? url : `${url}/`;
  const stateUrl = `${base}state.json`;
  let res: Response;
  try {
    res = await fetchFunc(stateUrl);
  } catch (err) {
    throw new Error(messages.fetchFailed(stateUrl, err instanceof Error ? err.message : String(err)), { cause: err });
  }
  if (!res.ok) throw new Error(messages.fetchFailed(stateUrl, `HTTP ${res.status} ${res.statusText}`.trim()));
  const text = await res.text();
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (err) {
    throw new Error(messages.notJson(stateUrl, (err as Error).message), { cause: err });
  }
  const s = state as { spec?: unknown; step?: unknown } | null;
  if (typeof s !== 'object' || s === null || typeof s.spec !== 'object' || s.spec === null) {
    const found = typeof s === 'object' && s !== null ? `keys ${Object.keys(s).join(', ') || '(none)'}` : typeof s;
    throw new Error(messages.noSpec(stateUrl, found));
  }
  const weights = tf.io.http(`${base}weights/model.json`, { fetchFunc });
  // The one place the untyped JSON becomes a spec: train() wrote it from a spec the DSL validated, and
  // buildModel checks every layer's options and shapes as it builds.
  return { spec: s.spec as ModelSpec, step: typeof s.step === 'number' ? s.step : undefined, weights, url: base };
}
