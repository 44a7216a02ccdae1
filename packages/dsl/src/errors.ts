import { DeepSpikeError } from '@deepspike/core';

/** One thing wrong with a model file. */
export interface DslProblem {
  /** The file as given (or `<input>` for text without a file name). */
  readonly file: string;
  /** JSON pointer of the offending value, e.g. `/layers/3/kernel` (`""` for the whole document). */
  readonly path: string;
  /** 1-based line in the source text (0 when the spec came without source text). */
  readonly line: number;
  /** 1-based column (in characters) in the source text (0 without source text). */
  readonly column: number;
  /** What is wrong, in the form `what is wrong (got X; expected Y)`. */
  readonly message: string;
}

/** `file:line:column  /json/path  message` (the position is left out when unknown). */
export function formatProblem(p: DslProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  return `${where}  ${p.path === '' ? '/' : p.path}  ${p.message}`;
}

/**
 * A model file is not valid. `message` lists every problem, one per line, as
 * `file:line:column  /json/path  what is wrong (got X; expected Y)`; `problems` holds them as data.
 */
export class DslError extends DeepSpikeError {
  /** Every problem found, in source order. */
  readonly problems: readonly DslProblem[];
  /** The file the problems are in. */
  readonly file: string;

  constructor(file: string, problems: readonly DslProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.file = file;
    this.problems = problems;
  }
}
