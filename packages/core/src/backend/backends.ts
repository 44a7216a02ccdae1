import * as tf from '@tensorflow/tfjs-core';
import '../tfjs-side-effects.js';
import { BackendError } from '../errors.js';
import { messages } from '../messages.js';
import { registerConv2DGradient } from '../gradients/conv2d-grad.js';
import { loadWasmBackend } from './wasm.js';

/** The compute backends DeepSpike knows, in the order {@link initBackend} tries them. */
export const BACKEND_ORDER = ['tensorflow', 'deepspike-native', 'wasm', 'cpu'] as const;

/** A compute backend name. */
export type BackendName = (typeof BACKEND_ORDER)[number];

/** What {@link initBackend} chose and why it skipped the ones before it. */
export interface BackendReport {
  /** The backend now active in tf.js. */
  readonly backend: BackendName;
  /** Whether it was forced (argument or DEEPSPIKE_BACKEND). */
  readonly forced: boolean;
  /** Backends tried before it, with the reason each was skipped. */
  readonly skipped: ReadonlyArray<{ readonly backend: BackendName; readonly reason: string }>;
  /** The one line printed, e.g. `deepspike: backend wasm (skipped tensorflow: ...)`. */
  readonly line: string;
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** Where the report line goes; default `console.log`. Pass `() => {}` to stay silent. */
  readonly log?: (line: string) => void;
  /** Environment to read `DEEPSPIKE_BACKEND` from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

// Package names live in variables so bundlers and tsc do not require the optional packages.
const TFJS_NODE = '@tensorflow/tfjs-node';
const NATIVE = '@deepspike/backend-native';

function firstLine(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  const text = err instanceof Error ? err.message : String(err);
  const missing = /Cannot find (?:package|module) '([^']+)'/.exec(text);
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && missing) return `${missing[1]} is not installed`;
  return (text.split('\n')[0] ?? text).trim();
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend("${name}") returned false`);
  await tf.ready();
}

async function loadTensorflow(): Promise<void> {
  await import(TFJS_NODE);
  await activate('tensorflow');
}

async function loadNative(): Promise<void> {
  const mod = (await import(NATIVE)) as { registerNativeBackend?: () => void | Promise<void> };
  if (typeof mod.registerNativeBackend !== 'function') {
    throw new Error(`${NATIVE} does not export registerNativeBackend()`);
  }
  await mod.registerNativeBackend();
  await activate('deepspike-native');
}

async function loadWasm(): Promise<void> {
  await loadWasmBackend();
  await activate('wasm');
}

async function loadCpu(): Promise<void> {
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu');
}

const LOADERS: Readonly<Record<BackendName, () => Promise<void>>> = {
  tensorflow: loadTensorflow,
  'deepspike-native': loadNative,
  wasm: loadWasm,
  cpu: loadCpu,
};

function isBackendName(name: string): name is BackendName {
  return (BACKEND_ORDER as readonly string[]).includes(name);
}

/**
 * Chooses and activates the tf.js backend: the `preferred` one, else `DEEPSPIKE_BACKEND`, else the
 * first of tensorflow (`@tensorflow/tfjs-node`, optional), deepspike-native
 * (`@deepspike/backend-native`, optional), wasm, cpu that loads. Prints one line saying which
 * backend runs and why the ones before it were skipped. Also registers DeepSpike's Conv2D gradient,
 * which works on backends lacking `Conv2DBackpropFilter` (wasm).
 *
 * @param preferred force this backend; failing to load it is an error, not a fallback
 * @throws BackendError for an unknown name or a forced backend that cannot load (naming the cause)
 */
export async function initBackend(preferred?: BackendName, options: InitBackendOptions = {}): Promise<BackendReport> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));

  const fromEnv = env.DEEPSPIKE_BACKEND?.trim();
  const forcedName = preferred ?? (fromEnv ? fromEnv : undefined);
  if (forcedName !== undefined) {
    const source = preferred !== undefined ? 'initBackend argument' : 'DEEPSPIKE_BACKEND';
    if (!isBackendName(forcedName)) throw new BackendError(messages.backendUnknown(forcedName, BACKEND_ORDER));
    try {
      await LOADERS[forcedName]();
    } catch (err) {
      throw new BackendError(messages.backendForcedFailed(forcedName, source, firstLine(err), messages.backendHint(forcedName)), {
        cause: err,
      });
    }
    registerConv2DGradient();
    const line = `deepspike: backend ${forcedName} (forced by ${source})`;
    log(line);
    return { backend: forcedName, forced: true, skipped: [], line };
  }

  const skipped: Array<{ backend: BackendName; reason: string }> = [];
  for (const name of BACKEND_ORDER) {
    try {
      await LOADERS[name]();
      registerConv2DGradient();
      const why = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
      const line = `deepspike: backend ${name}${why ? ` (skipped ${why})` : ''}`;
      log(line);
      return { backend: name, forced: false, skipped, line };
    } catch (err) {
      skipped.push({ backend: name, reason: firstLine(err) });
    }
  }
  // cpu is bundled with tfjs; reaching here means the installation itself is broken.
  throw new BackendError(
    `initBackend: no backend could be loaded, got ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}; ` +
      `expected at least cpu. Reinstall the dependencies with \`npm ci\`.`,
  );
}
