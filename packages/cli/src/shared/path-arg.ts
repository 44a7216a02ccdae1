import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from './cli-error.js';

/** What kind of path an argument names. */
export type PathKind = 'file' | 'directory' | 'any';

/**
 * Checks a path an argument or flag names before the command does any work (the compute backend
 * included): it exists, is readable and, for `kind` `'file'` or `'directory'`, is one.
 * @param command the command's words after `deepspike`, e.g. `train` or `bench accuracy`
 * @param what how the usage names the argument, e.g. `<model>` or `--checkpoint`
 * @param expected what it should name, e.g. `a model file (*.snn.json)`
 * @throws CliError (exit 1): `deepspike train: <model> got "m.snn.json" (/abs/m.snn.json), which does
 *   not exist; expected a model file (*.snn.json). Check the path.`
 */
export function requirePath(command: string, what: string, path: string, kind: PathKind, expected: string): void {
  const full = resolve(path);
  const fail = (got: string, fix: string): never => {
    throw new CliError(`deepspike ${command}: ${what} got "${path}"${full === path ? '' : ` (${full})`}, ${got}; expected ${expected}. ${fix}`, 1);
  };
  let isDir: boolean;
  try {
    isDir = statSync(full).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? fail('which does not exist', 'Check the path (it is relative to the working directory).')
      : fail(`which cannot be read (${code ?? String(err)})`, 'Check its permissions.');
  }
  if (kind === 'file' && isDir) fail('which is a directory', 'Name the file inside it.');
  if (kind === 'directory' && !isDir) fail('which is a file, not a directory', 'Name the folder that holds it.');
  try {
    accessSync(full, isDir ? constants.R_OK | constants.X_OK : constants.R_OK);
  } catch (err) {
    fail(`which cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, 'Check its permissions.');
  }
}

/** `requirePath` for the `<model>` argument of the commands that read a model file. */
export function requireModelFile(command: string, file: string): void {
  requirePath(command, '<model>', file, 'file', 'a model file (*.snn.json)');
}

/** `requirePath` for a `--checkpoint` flag. */
export function requireCheckpointDir(command: string, dir: string): void {
  requirePath(command, '--checkpoint', dir, 'directory', 'a run directory, its checkpoint/ directory or one step-* checkpoint');
}
