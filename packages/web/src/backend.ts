import * as tf from '@tensorflow/tfjs-core';
import { messages } from './messages.js';

/** The browser backends {@link initWebBackend} tries, in this order. */
export const WEB_BACKEND_ORDER = ['webgl', 'wasm', 'cpu'] as const;

/** A browser compute backend name. */
export type WebBackendName = (typeof WEB_BACKEND_ORDER)[number];

/** What {@link initWebBackend} chose and why it skipped the ones before it. */
export interface WebBackendReport {
  /** The backend now active in tf.js. */
  readonly backend: WebBackendName;
  /** Whether the caller forced it. */
  readonly forced: boolean;
  /** Backends tried before it, with the reason each was skipped. */
  readonly skipped: ReadonlyArray<{ readonly backend: WebBackendName; readonly reason: string }>;
  /** One line for the page or the console, e.g. `deepspike: backend wasm (skipped webgl: ...)`. */
  readonly line: string;
}

/** Options of {@link initWebBackend}. */
export interface WebBackendOptions {
  /** Force this backend; failing to start it is an error, not a fallback. */
  readonly backend?: WebBackendName;
  /**
   * URL prefix (trailing slash) where `tfjs-backend-wasm.wasm`, `-simd.wasm` and
   * `-threaded-simd.wasm` from `@tensorflow/tfjs-backend-wasm/dist/` are served. Default: beside
   * the page (`./`).
   */
  readonly wasmPaths?: string;
  /** Where the report line goes; default `console.log`. */
  readonly log?: (line: string) => void;
}

function reason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split('\n')[0] ?? text).trim();
}

async function activate(name: WebBackendName): Promise<void> {
  // tf.setBackend answers false (and logs) when a registered backend's factory fails, e.g. no WebGL context.
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend("${name}") returned false`);
  await tf.ready();
  if (name === 'webgl') {
    // A context can exist and still be unusable (blocklisted software GL): run one op to be sure.
    const probe = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
    const value = (await probe.data())[0];
    probe.dispose();
    if (value !== 3) throw new Error(`webgl computed 1 + 2 = ${value}`);
  }
}

const loaders: Readonly<Record<WebBackendName, (o: WebBackendOptions) => Promise<void>>> = {
  webgl: async () => {
    await import('@tensorflow/tfjs-backend-webgl');
    // tfjs-backend-webgl registers itself only in a browser environment.
    if (!tf.findBackendFactory('webgl')) throw new Error('tfjs-backend-webgl registered no backend (not a browser: no WebGL here)');
    await activate('webgl');
  },
  wasm: async (o) => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(o.wasmPaths ?? './');
    await activate('wasm');
  },
  cpu: async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    await activate('cpu');
  },
};

/**
 * Chooses and activates the tf.js backend in a browser: the forced one, else the first of webgl,
 * wasm, cpu that starts. Reports one line naming the backend and why the ones before it were
 * skipped (as `initBackend` of @deepspike/core does under Node).
 * @throws Error for an unknown name or a forced backend that cannot start (naming the cause)
 */
export async function initWebBackend(options: WebBackendOptions = {}): Promise<WebBackendReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const forced = options.backend;
  if (forced !== undefined) {
    if (!(WEB_BACKEND_ORDER as readonly string[]).includes(forced)) throw new Error(messages.backendUnknown(forced, WEB_BACKEND_ORDER));
    try {
      await loaders[forced](options);
    } catch (err) {
      throw new Error(messages.backendForcedFailed(forced, reason(err)), { cause: err });
    }
    const line = `deepspike: backend ${forced} (forced)`;
    log(line);
    return { backend: forced, forced: true, skipped: [], line };
  }
  const skipped: Array<{ backend: WebBackendName; reason: string }> = [];
  for (const name of WEB_BACKEND_ORDER) {
    try {
      await loaders[name](options);
      const why = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
      const line = `deepspike: backend ${name}${why ? ` (skipped ${why})` : ''}`;
      log(line);
      return { backend: name, forced: false, skipped, line };
    } catch (err) {
      skipped.push({ backend: name, reason: reason(err) });
    }
  }
  throw new Error(messages.noBackend(skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')));
}
