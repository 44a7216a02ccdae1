/**
 * The `tensorflow` backend comes from one of two packages that both register a tf.js backend named
 * "tensorflow" over libtensorflow: `@tensorflow/tfjs-node-gpu` (CUDA build) and `@tensorflow/tfjs-node`
 * (CPU build). Both are optional; the GPU one is tried first, so a user who installed it gets the GPU.
 */

/** The packages that provide the `tensorflow` backend, in the order they are tried. */
export const TENSORFLOW_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/** One of {@link TENSORFLOW_PACKAGES}. */
export type TensorflowPackage = (typeof TENSORFLOW_PACKAGES)[number];

/** What {@link importTensorflowPackage} loaded, and why it passed over the packages before it. */
export interface TensorflowImport {
  readonly package: TensorflowPackage;
  readonly skipped: ReadonlyArray<{ readonly package: TensorflowPackage; readonly reason: string }>;
}

/** Imports a module by name (a parameter so tests can stand in for installed packages). */
export type ModuleImporter = (name: string) => Promise<unknown>;

/** The first line of an import failure, with "X is not installed" for a missing package. */
export function importFailureReason(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  const text = err instanceof Error ? err.message : String(err);
  const missing = /Cannot find (?:package|module) '([^']+)'/.exec(text);
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && missing) return `${missing[1]} is not installed`;
  return (text.split('\n')[0] ?? text).trim();
}

// Through a variable, so bundlers and tsc do not try to resolve the optional packages.
// manifest-check: @tensorflow/tfjs-node (an optionalDependency) or @tensorflow/tfjs-node-gpu, which the user installs (docs/gpu.md)
const defaultImporter: ModuleImporter = (name) => import(name);

/**
 * Imports the first of {@link TENSORFLOW_PACKAGES} that loads (importing it registers the
 * `tensorflow` backend with tf.js).
 * @throws Error naming every package and why each failed ("neither @tensorflow/tfjs-node-gpu nor
 *   @tensorflow/tfjs-node is installed" when both are absent)
 */
export async function importTensorflowPackage(importer: ModuleImporter = defaultImporter): Promise<TensorflowImport> {
  const skipped: Array<{ package: TensorflowPackage; reason: string }> = [];
  for (const pkg of TENSORFLOW_PACKAGES) {
    try {
      await importer(pkg);
      return { package: pkg, skipped };
    } catch (err) {
      skipped.push({ package: pkg, reason: importFailureReason(err) });
    }
  }
  const allMissing = skipped.every((s) => s.reason === `${s.package} is not installed`);
  throw new Error(
    allMissing
      ? `neither ${TENSORFLOW_PACKAGES.join(' nor ')} is installed`
      : skipped.map((s) => `${s.package}: ${s.reason}`).join(', '),
  );
}
