import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LOCK_FILES, pluginInputs, pluginSpecsOf, workspaceProjectOf } from './plugin-inputs.js';
import type { CreateNodesContextV2, CreateNodesResult, CreateNodesResultV2, CreateNodesV2, TargetConfiguration } from '@nx/devkit';

/** Options of the plugin (the `options` of its entry in nx.json `plugins`). */
export interface DeepSpikeNxOptions {
  /** How to invoke the DeepSpike CLI (default `npx deepspike`). */
  readonly cli?: string;
  /** Target names (default the command names: generate, train, train-distributed, evaluate, map, export-nir, bench). */
  readonly targetNames?: Partial<Record<DeepSpikeTarget, string>>;
}

/** The targets inferred for every model. */
export const DEEPSPIKE_TARGETS = ['generate', 'train', 'train-distributed', 'evaluate', 'map', 'export-nir', 'bench'] as const;
export type DeepSpikeTarget = (typeof DEEPSPIKE_TARGETS)[number];

/** The glob of model files. */
export const MODEL_FILE_GLOB = '**/*.snn.json';
const SUFFIX = '.snn.json';

/** Two model files in one folder: the plugin refuses instead of merging them into one project. */
export class DuplicateModelError extends Error {
  constructor(folder: string, files: readonly string[]) {
    super(
      `@deepspike/nx: the folder "${folder || '.'}" holds ${files.length} model files, got ${files.map((f) => `"${f}"`).join(', ')}; ` +
        `expected one *.snn.json per folder (each folder is one Nx project named after its model file). Move all but one into folders of their own.`,
    );
    this.name = 'DuplicateModelError';
  }
}

/** The project name of a model file: its file name without `.snn.json`. */
export function projectNameOf(file: string): string {
  return basename(file).slice(0, -SUFFIX.length);
}

/** What target inference reads from a model file: the generated file's name and the `"plugins"` entries. */
function readModel(file: string): { generated: string; plugins: string[] } {
  let model: unknown = null;
  try {
    model = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // An unparsable model file still gets its targets; `generate` then reports the problem.
  }
  const name = (model as { name?: unknown } | null)?.name;
  const generated = typeof name === 'string' && /^[a-z][a-z0-9-]*$/.test(name) ? `${name}.generated.ts` : `${projectNameOf(file)}.generated.ts`;
  return { generated, plugins: pluginSpecsOf(model) };
}

/** The package name of the DeepSpike CLI, whose commands the targets run. */
export const CLI_PACKAGE = 'deepspike';

/**
 * The workspace projects a model's targets run, which become the model project's
 * `implicitDependencies`: the `deepspike` CLI when it is a package of this workspace (it depends on
 * the other `@deepspike/*` packages through its package.json, so Nx reaches them transitively), and
 * the workspace packages the model file names in `"plugins"`. A model folder has no package.json, so
 * without these edges `^build` would build nothing and a target would run a stale `dist/`.
 * Packages installed from a registry are not projects and are not listed.
 */
export function modelDependencies(modelFile: string, projectRoot: string, workspaceRoot: string): string[] {
  const modelDir = join(workspaceRoot, projectRoot);
  const { plugins } = readModel(join(workspaceRoot, projectRoot ? `${projectRoot}/${basename(modelFile)}` : basename(modelFile)));
  const names = [CLI_PACKAGE, ...plugins].map((spec) => workspaceProjectOf(spec, modelDir, workspaceRoot));
  return [...new Set(names.filter((n): n is string => n !== null))];
}

/**
 * The targets of one model project: `nx:run-commands` calls of the `deepspike` CLI on the model
 * file; extra arguments given to `nx run <model>:<target> -- ...` are passed through. A shell
 * command, not an executor importing the CLI: each run gets its own process (a tf.js backend and the
 * native addon are chosen once per process), and the target behaves exactly as the user's
 * `deepspike` command does (flags, progress, exit codes); docs/architecture.md states the choice.
 *
 * Every target depends on `^build`, so the CLI and the workspace plugins the model names
 * ({@link modelDependencies}) are built from their current source first. The cached `generate`
 * target's inputs are the model file, the schemas, the source of those projects (`^production`, or
 * `^default` where nx.json names no `production` input; transitively: the CLI, codegen, the DSL,
 * core, ...), the workspace's lock file when the CLI is installed from a registry, and the plugins
 * the model file names in `"plugins"` ({@link pluginInputs}), so editing any of them invalidates the cache.
 * @param namedInputs nx.json's `namedInputs` (to pick `production` when it is defined)
 */
export function modelTargets(
  modelFile: string,
  projectRoot: string,
  workspaceRoot: string,
  options: DeepSpikeNxOptions = {},
  namedInputs: Readonly<Record<string, unknown>> = {},
): Record<string, TargetConfiguration> {
  const cli = options.cli ?? 'npx deepspike';
  const file = basename(modelFile);
  const rel = projectRoot ? `${projectRoot}/${file}` : file;
  const name = (t: DeepSpikeTarget): string => options.targetNames?.[t] ?? t;
  const run = (command: string, extra: Partial<TargetConfiguration> = {}): TargetConfiguration => ({
    executor: 'nx:run-commands',
    options: { command: `${cli} ${command} ${rel}`, cwd: '{workspaceRoot}', forwardAllArgs: true },
    dependsOn: ['^build'],
    ...extra,
  });
  const model = readModel(join(workspaceRoot, rel));
  const generated = model.generated;
  const cliInWorkspace = workspaceProjectOf(CLI_PACKAGE, join(workspaceRoot, projectRoot), workspaceRoot) !== null;
  const toolInputs = cliInWorkspace
    ? ['production' in namedInputs ? '^production' : '^default']
    : LOCK_FILES.filter((f) => existsSync(join(workspaceRoot, f))).map((f) => `{workspaceRoot}/${f}`);
  const plugins = [...new Set(model.plugins.flatMap((spec) => pluginInputs(spec, join(workspaceRoot, projectRoot), workspaceRoot)))];
  return {
    [name('generate')]: run('generate', {
      cache: true,
      inputs: [...new Set([`{projectRoot}/${file}`, '{workspaceRoot}/schemas/**/*', ...toolInputs, ...plugins])],
      outputs: [`{projectRoot}/${generated}`],
      metadata: { description: `Generate the typed model class ${generated} from ${file}`, technologies: ['deepspike'] },
    }),
    [name('train')]: run('train', { cache: false, metadata: { description: `Train ${file} on its dataset (checkpoints, metrics.jsonl, report.html)` } }),
    // Data-parallel on this machine through mpirun (`-- --ranks 4` overrides the 2; on a cluster use srun, docs/distributed.md).
    [name('train-distributed')]: {
      ...run('train', { cache: false, metadata: { description: `Train ${file} data-parallel on 2 MPI ranks of this machine (pass -- --ranks N)` } }),
      options: { command: `${cli} train ${rel} --ranks 2`, cwd: '{workspaceRoot}', forwardAllArgs: true },
    },
    [name('evaluate')]: run('evaluate', { cache: false, metadata: { description: `Evaluate a checkpoint of ${file} (pass --checkpoint DIR)` } }),
    [name('map')]: run('map', { cache: false, metadata: { description: `Map ${file} to its neuromorphic target` } }),
    [name('export-nir')]: run('export-nir', { cache: false, metadata: { description: `Export ${file} to NIR` } }),
    [name('bench')]: run('bench', { cache: false, metadata: { description: `Benchmark ${file}` } }),
  };
}

/**
 * Infers one project per folder holding a `*.snn.json` model file: named after the file, with the
 * targets of {@link modelTargets}. Two model files in one folder throw {@link DuplicateModelError}.
 */
export function createModelNodes(modelFiles: readonly string[], options: DeepSpikeNxOptions | undefined, context: CreateNodesContextV2): CreateNodesResultV2 {
  const byFolder = new Map<string, string[]>();
  for (const f of modelFiles) {
    const folder = dirname(f) === '.' ? '' : dirname(f);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), f]);
  }
  // Files the glob matched may be a subset of a folder (Nx hashes per file): look at the folder too.
  for (const [folder, files] of byFolder) {
    let all: string[] = files;
    try {
      all = readdirSync(join(context.workspaceRoot, folder))
        .filter((n) => n.endsWith(SUFFIX))
        .map((n) => (folder ? `${folder}/${n}` : n));
    } catch {
      // Folder vanished between the glob and now: keep the matched files.
    }
    if (all.length > 1) throw new DuplicateModelError(folder, all.sort());
  }
  return modelFiles.map((file): readonly [string, CreateNodesResult] => {
    const root = dirname(file) === '.' ? '.' : dirname(file);
    const projectRoot = root === '.' ? '' : root;
    return [
      file,
      {
        projects: {
          [root]: {
            name: projectNameOf(file),
            root,
            projectType: 'application',
            tags: ['deepspike:model'],
            implicitDependencies: modelDependencies(file, projectRoot, context.workspaceRoot),
            targets: modelTargets(file, projectRoot, context.workspaceRoot, options ?? {}, context.nxJsonConfiguration?.namedInputs ?? {}),
          },
        },
      },
    ] as const;
  });
}

/** The Nx plugin entry: `[glob, createNodesFunction]`. */
export const createNodesV2: CreateNodesV2<DeepSpikeNxOptions> = [MODEL_FILE_GLOB, createModelNodes];

/** Same as {@link createNodesV2} (Nx 21+ reads `createNodes`). */
export const createNodes = createNodesV2;
