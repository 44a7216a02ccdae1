import * as tf from '@tensorflow/tfjs-core';
import '../tfjs-side-effects.js';
import { BackendError } from '../errors.js';
import { messages } from '../messages.js';
import { registerConv2DGradient } from '../gradients/conv2d-grad.js';
import { loadWasmBackend } from './wasm.js';
import { importFailureReason, importTensorflowPackage, type TensorflowImport } from './tensorflow.js';
import { makeFirstTensorQuietly } from './first-tensor.js';

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
  /**
   * The package that provides the backend when there is a choice: for `tensorflow`,
   * `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` (see `TENSORFLOW_PACKAGES`).
   */
  readonly provider?: string;
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
const NATIVE = '@deepspike/backend-native';

/** What a loader says about the backend it activated, for the start-up line. */
interface Loaded {
  readonly provider?: string;
  /** Packages passed over on the way, e.g. a tfjs-node-gpu that could not load its CUDA libraries. */
  readonly passedOver?: string;
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend("${name}") returned false`);
  await tf.ready();
  makeFirstTensorQuietly();
}

async function loadTensorflow(): Promise<Loaded> {
  const loaded: TensorflowImport = await importTensorflowPackage();
  await activate('tensorflow');
  const passedOver = loaded.skipped.map((s) => `${s.package}: ${s.reason}`).join('; ');
  return passedOver ? { provider: loaded.package, passedOver } : { provider: loaded.package };
}

async function loadNative(): Promise<Loaded> {
  // manifest-check: @deepspike/backend-native sits above core (it depends on core); core finds it by name when installed, as it finds the first-party plugins
  const mod = (await import(NATIVE)) as { registerNativeBackend?: () => void | Promise<void> };
  if (typeof mod.registerNativeBackend !== 'function') {
    throw new Error(`${NATIVE} does not export registerNativeBackend()`);
  }
  await mod.registerNativeBackend();
  await activate('deepspike-native');
  return {};
}

async function loadWasm(): Promise<Loaded> {
  await loadWasmBackend();
  await activate('wasm');
  return {};
}

async function loadCpu(): Promise<Loaded> {
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu');
  return {};
}

const LOADERS: Readonly<Record<BackendName, () => Promise<Loaded>>> = {
  tensorflow: loadTensorflow,
  'deepspike-native': loadNative,
  wasm: loadWasm,
  cpu: loadCpu,
};

/** `deepspike: backend NAME [via PROVIDER] (NOTES)`: the one start-up line. */
function startupLine(name: BackendName, loaded: Loaded, notes: readonly string[]): string {
  const via = loaded.provider ? ` via ${loaded.provider}` : '';
  const all = [...(loaded.passedOver ? [`passed over ${loaded.passedOver}`] : []), ...notes];
  return `deepspike: backend ${name}${via}${all.length > 0 ? ` (${all.join('; ')})` : ''}`;
}

function isBackendName(name: string): name is BackendName {
  return (BACKEND_ORDER as readonly string[]).includes(name);
}

/**
 * Chooses and activates the tf.js backend: the `preferred` one, else `DEEPSPIKE_BACKEND`, else the
 * first of tensorflow (`@tensorflow/tfjs-node-gpu`, else `@tensorflow/tfjs-node`; both optional), deepspike-native
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
    let loaded: Loaded;
    try {
      loaded = await LOADERS[forcedName]();
    } catch (err) {
      throw new BackendError(messages.backendForcedFailed(forcedName, source, importFailureReason(err), messages.backendHint(forcedName)), {
        cause: err,
      });
    }
    registerConv2DGradient();
    const line = startupLine(forcedName, loaded, [`forced by ${source}`]);
    log(line);
    return { backend: forcedName, forced: true, skipped: [], ...(loaded.provider ? { provider: loaded.provider } : {}), line };
  }

  const skipped: Array<{ backend: BackendName; reason: string }> = [];
  for (const name of BACKEND_ORDER) {
    try {
      const loaded = await LOADERS[name]();
      registerConv2DGradient();
      const why = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
      const line = startupLine(name, loaded, why ? [`skipped ${why}`] : []);
      log(line);
      return { backend: name, forced: false, skipped, ...(loaded.provider ? { provider: loaded.provider } : {}), line };
    } catch (err) {
      skipped.push({ backend: name, reason: importFailureReason(err) });
    }
  }
  // cpu is bundled with tfjs; reaching here means the installation itself is broken.
  throw new BackendError(
    `initBackend: no backend could be loaded, got ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}; ` +
      `expected at least cpu. Reinstall the dependencies with \`npm ci\`.`,
  );
}
