/**
 * An error that ends the command with a message (no stack trace) and an exit code:
 * 1 for invalid input (e.g. a model file that does not validate), 2 for usage errors and for
 * artefacts that cannot be produced (e.g. a target that cannot hold the model).
 */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
