import type { Command } from 'commander';
import { checkModelFile, formatProblem, type ValidationResult } from '@deepspike/dsl';
import { CliError } from '../shared/cli-error.js';
import { pluginOption } from '../shared/plugin-flag.js';

/** One file's result as `deepspike validate --json` prints it. */
export interface ValidateReport {
  readonly file: string;
  readonly valid: boolean;
  readonly errors: readonly { readonly path: string; readonly line: number; readonly column: number; readonly message: string }[];
}

/** The `--json` form of a validation result. */
export function validateReport(r: ValidationResult): ValidateReport {
  return { file: r.file, valid: r.valid, errors: r.problems.map((p) => ({ path: p.path, line: p.line, column: p.column, message: p.message })) };
}

/**
 * `deepspike validate <files...> [--json] [--plugin <spec>]...`: checks model files (JSON, schema,
 * shapes, registered names). Exit 0 when every file is valid; 1 otherwise, after listing every problem
 * as `file:line:column  /json/path  what is wrong (got X; expected Y)` on stderr. `--json` prints an
 * array of `{file, valid, errors: [{path, line, column, message}]}`, one per file, on stdout.
 */
export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('check *.snn.json model files: JSON, schema, shapes through every layer, registered names')
    .argument('<files...>', 'model files (*.snn.json)')
    .option('--json', 'print [{file, valid, errors: [{path, line, column, message}]}] as JSON')
    .addOption(pluginOption())
    .action(async (files: string[], opts: { json?: boolean; plugin?: string[] }) => {
      const results: ValidationResult[] = [];
      for (const file of files) results.push(await checkModelFile(file, { plugins: opts.plugin ?? [] }));
      const invalid = results.filter((r) => !r.valid);
      if (opts.json) {
        console.log(JSON.stringify(results.map(validateReport), null, 2));
      } else {
        for (const r of results) {
          if (r.valid) console.log(`${r.file}: valid`);
          else for (const p of r.problems) console.error(formatProblem(p));
        }
      }
      if (invalid.length > 0) {
        const count = invalid.reduce((n, r) => n + r.problems.length, 0);
        throw new CliError(
          `deepspike validate: ${invalid.length} of ${results.length} file${results.length === 1 ? '' : 's'} not valid, got ${count} problem${count === 1 ? '' : 's'}; expected none. Fix the lines listed above.`,
          1,
        );
      }
    });
}
