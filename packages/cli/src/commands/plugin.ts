import type { Command } from 'commander';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../shared/cli-error.js';

/** The template folder of `deepspike plugin init` (shipped in the package's `templates/plugin`). */
export const PLUGIN_TEMPLATE_DIR = fileURLToPath(new URL('../../templates/plugin/', import.meta.url));

/** npm's rules for a package name (lower case, URL-safe, optional scope, at most 214 characters). */
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** Values substituted for `{{key}}` in the template files. */
export interface PluginTemplateValues {
  readonly packageName: string;
  /** Registered name of the example neuron (lower-kebab). */
  readonly entryName: string;
  /** PascalCase class name of the example neuron. */
  readonly className: string;
  readonly deepspikeVersion: string;
  readonly tfjsVersion: string;
  readonly typescriptVersion: string;
}

/** Template file name -> scaffolded name: `.tmpl` dropped; `gitignore`/`mocharc.json` become dotfiles (npm would drop them). */
function targetName(file: string): string {
  const bare = file.replace(/\.tmpl$/, '');
  return bare === 'gitignore' || bare === 'mocharc.json' ? `.${bare}` : bare;
}

/**
 * The template values for a package name: the entry name is the last path segment without a
 * `deepspike-`/`plugin-` prefix (`@acme/deepspike-plugin-alif` -> `alif`).
 * @throws CliError (exit 2) for a name npm would refuse
 */
export function pluginTemplateValues(packageName: string, versions: { deepspike: string; tfjs?: string; typescript?: string }): PluginTemplateValues {
  if (packageName.length > 214 || !NPM_NAME.test(packageName)) {
    throw new CliError(
      `deepspike plugin init: invalid npm package name, got "${packageName}"; expected lower case letters, digits, "-", "." or "_", optionally scoped (@scope/name). Example: deepspike plugin init @acme/deepspike-alif`,
      2,
    );
  }
  const last = packageName.split('/').pop() as string;
  const entryName = last.replace(/^(deepspike-)?(plugin-)?/, '').replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'neuron';
  const className = entryName.split('-').filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('').replace(/^(\d)/, 'N$1') + 'Neuron';
  return { packageName, entryName, className, deepspikeVersion: versions.deepspike, tfjsVersion: versions.tfjs ?? '4.22.0', typescriptVersion: versions.typescript ?? '5.9.3' };
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name), join(prefix, e.name))));
    else out.push(join(prefix, e.name));
  }
  return out.sort();
}

/**
 * Writes a new plugin package into `dir` from {@link PLUGIN_TEMPLATE_DIR}, replacing `{{key}}` by
 * `values[key]`.
 * @returns the written files, relative to `dir`
 * @throws CliError (exit 2) when `dir` exists and is not empty, or a placeholder has no value
 */
export async function scaffoldPlugin(dir: string, values: PluginTemplateValues, templateDir = PLUGIN_TEMPLATE_DIR): Promise<string[]> {
  const existing = await readdir(dir).catch(() => null);
  if (existing !== null && existing.length > 0) {
    throw new CliError(`deepspike plugin init: target folder is not empty, got ${dir} with ${existing.length} entr${existing.length === 1 ? 'y' : 'ies'}; expected a new or empty folder. Choose another --dir or remove the folder.`, 2);
  }
  const written: string[] = [];
  for (const file of await listFiles(templateDir)) {
    const text = await readFile(join(templateDir, file), 'utf8');
    const content = text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      const v = (values as unknown as Record<string, string | undefined>)[key];
      if (v === undefined) throw new CliError(`deepspike plugin init: template ${file} uses an unknown placeholder, got {{${key}}}; expected one of ${Object.keys(values).join(', ')}. Fix the template.`, 2);
      return v;
    });
    const out = join(dir, dirname(file), targetName(basename(file)));
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, content);
    written.push(relative(dir, out));
  }
  return written;
}

async function cliVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * `deepspike plugin init <name> [--dir DIR]`: scaffolds a third-party plugin package (an example
 * neuron subclassing `NeuronLayer` that describes itself for hardware (`HardwareDescribedNeuron`, so
 * models using it map onto chips), its registration and schema fragment, a test, tsconfig and
 * package.json depending on the published `@deepspike/core`, and `@deepspike/neuromorphic` for the
 * contract's types). Exit 2 for a bad name or a non-empty folder.
 */
export function registerPluginCommand(program: Command): void {
  const plugin = program.command('plugin').description('work with DeepSpike plugin packages');
  plugin
    .command('init')
    .description('scaffold a new plugin package (a neuron, its schema fragment, a test)')
    .argument('<name>', 'npm package name, e.g. @acme/deepspike-alif')
    .option('--dir <dir>', 'folder to create (default: ./<name without scope>)')
    .action(async (name: string, opts: { dir?: string }) => {
      const values = pluginTemplateValues(name, { deepspike: await cliVersion() });
      const dir = resolve(opts.dir ?? (name.split('/').pop() as string));
      const files = await scaffoldPlugin(dir, values);
      console.log(`deepspike plugin init: wrote ${files.length} files to ${dir} (neuron "${values.entryName}", class ${values.className})`);
      for (const f of files) console.log(`  ${f}`);
      console.log(`next: cd ${relative(process.cwd(), dir) || '.'} && npm install && npm test`);
    });
}
