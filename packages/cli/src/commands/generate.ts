import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import type { Command } from 'commander';
import { registry } from '@deepspike/core';
import { emitModel, type ShapeAware } from '@deepspike/codegen';
import { checkModelFile, formatProblem } from '@deepspike/dsl';
import { CliError } from '../shared/cli-error.js';
import { pluginOption } from '../shared/plugin-flag.js';
import { importedPackages, undeclaredImports } from '../shared/declared-imports.js';

const require = createRequire(import.meta.url);

/** Options of `deepspike generate`. */
export interface GenerateOptions {
  /** Output folder (default: each model file's own folder). */
  readonly out?: string;
  /** Plugin packages or paths (from the working directory) to load besides the first-party ones and the model's `plugins`. */
  readonly plugin?: readonly string[];
  /** Only check that the generated files are up to date (exit 1 when one is stale or missing). */
  readonly check?: boolean;
}

/** What happened to one model file. */
export interface GenerateResult {
  readonly file: string;
  /** The generated file's path (absent when the model file is not valid). */
  readonly output?: string;
  readonly status: 'written' | 'unchanged' | 'stale' | 'invalid';
}

/** The installed version of a package this command runs with (the one the generated code was emitted for). */
function versionOf(name: string): string | undefined {
  try {
    // manifest-check: the version of a package the generated code imports, if installed (nothing is loaded)
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Validates each model file and writes its typed model class `<name>.generated.ts` (see
 * `@deepspike/codegen`'s `emitModel`) into `out` or next to the model file. The banner names the
 * model file relative to the generated file, so output does not depend on the working directory.
 * Files whose content is already current are left untouched (their mtime too).
 */
export async function generateModels(files: readonly string[], options: GenerateOptions = {}): Promise<GenerateResult[]> {
  const results: GenerateResult[] = [];
  for (const file of files) {
    const r = await checkModelFile(file, { plugins: options.plugin ?? [] });
    if (!r.valid || !r.spec) {
      for (const p of r.problems) console.error(formatProblem(p));
      results.push({ file, status: 'invalid' });
      continue;
    }
    const outDir = resolve(options.out ?? dirname(file));
    const sourceFile = relative(outDir, resolve(file)).split(sep).join('/');
    const emitted = emitModel(r.spec, { sourceFile, lookupPlugin: (type) => (registry.has('layer', type) ? (registry.get('layer', type) as ShapeAware) : {}) });
    const output = join(outDir, emitted.path);
    const undeclared = undeclaredImports(outDir, importedPackages(emitted.content));
    if (undeclared && undeclared.missing.length > 0) {
      const versions = undeclared.missing.map((name) => `${name}@${versionOf(name) ?? 'latest'}`);
      console.error(
        `generate: ${emitted.path} imports ${undeclared.missing.join(', ')}, which ${undeclared.manifest} does not declare; expected every import to be a dependency of the project. ` +
          `Add them: npm install ${versions.join(' ')}`,
      );
    }
    const current = await readOrNull(output);
    if (current === emitted.content) results.push({ file, output, status: 'unchanged' });
    else if (options.check) results.push({ file, output, status: 'stale' });
    else {
      await mkdir(outDir, { recursive: true });
      await writeFile(output, emitted.content);
      results.push({ file, output, status: 'written' });
    }
  }
  return results;
}

/**
 * `deepspike generate <files...> [--out DIR] [--check] [--plugin <spec>]...`: writes the typed model
 * class of each model file. Exit 0 when every file generated; 1 when a model file is not valid (its
 * problems listed as `deepspike validate` does) or, with `--check`, when a generated file is stale.
 */
export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('write the typed TypeScript model class <name>.generated.ts of each *.snn.json model file')
    .argument('<files...>', 'model files (*.snn.json)')
    .option('--out <dir>', 'output folder (default: next to each model file)')
    .option('--check', 'write nothing; exit 1 when a generated file is missing or out of date')
    .addOption(pluginOption())
    .action(async (files: string[], opts: { out?: string; check?: boolean; plugin?: string[] }) => {
      const results = await generateModels(files, opts);
      for (const r of results) {
        if (r.status === 'written') console.log(`${r.file} -> ${relative(process.cwd(), r.output as string)}`);
        if (r.status === 'unchanged') console.log(`${r.file} -> ${relative(process.cwd(), r.output as string)} (up to date)`);
        if (r.status === 'stale') console.error(`${r.file}: ${relative(process.cwd(), r.output as string)} is out of date`);
      }
      const invalid = results.filter((r) => r.status === 'invalid').length;
      const stale = results.filter((r) => r.status === 'stale').length;
      if (invalid > 0) {
        throw new CliError(
          `deepspike generate: ${invalid} of ${results.length} model file${results.length === 1 ? '' : 's'} not valid, got ${invalid} invalid; expected none. Fix the lines listed above, then generate again.`,
          1,
        );
      }
      if (stale > 0) {
        throw new CliError(
          `deepspike generate --check: ${stale} generated file${stale === 1 ? ' is' : 's are'} out of date, got ${stale} stale; expected none. Run \`deepspike generate ${files.join(' ')}\`${opts.out ? ` --out ${opts.out}` : ''}.`,
          1,
        );
      }
    });
}
