import { BACKEND_ORDER, type BackendName } from '@deepspike/core';
import { CliError } from './cli-error.js';

/**
 * Parses an integer flag (`--epochs 3`) of at least `min`, or throws a usage error (exit 2) naming
 * the command and the flag. `undefined` (flag not given) passes through.
 */
export function intFlag(command: string, flag: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliError(`deepspike ${command}: ${flag} got "${value}"; expected an integer >= ${min}.`, 2);
  return n;
}

/** Checks a `--backend` flag against {@link BACKEND_ORDER}, or throws a usage error (exit 2). */
export function backendFlag(command: string, value: string | undefined): BackendName | undefined {
  if (value !== undefined && !(BACKEND_ORDER as readonly string[]).includes(value)) {
    throw new CliError(`deepspike ${command}: --backend got "${value}"; expected one of ${BACKEND_ORDER.join(', ')}.`, 2);
  }
  return value as BackendName | undefined;
}
