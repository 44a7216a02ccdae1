import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { DeepSpikeError } from '@deepspike/core';
import { CliError } from './shared/cli-error.js';
import { commands } from './commands/index.js';
import { shortUsage } from './shared/usage.js';

/** The version of the `deepspike` package (`deepspike --version`), read from its package.json. */
export const CLI_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Builds the `deepspike` program with every command. */
export function buildProgram(): Command {
  const program = new Command('deepspike')
    .description('DeepSpike: train very deep spiking neural networks (STBP-tdBN) and carry them to neuromorphic hardware')
    .version(CLI_VERSION, '-V, --version', 'print the version of deepspike')
    .exitOverride();
  for (const register of commands) register(program);
  // After a usage error, a short synopsis and where the help is, not the whole help.
  const everyCommand = (cmd: Command): void => {
    cmd.showHelpAfterError(shortUsage(cmd));
    cmd.commands.forEach(everyCommand);
  };
  everyCommand(program);
  return program;
}

/**
 * Runs `deepspike` with `argv` (as in process.argv) and returns the exit code instead of exiting,
 * so tests and the Nx executors can call it in-process.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliError) {
      console.error(err.message);
      return err.exitCode;
    }
    if (err instanceof DeepSpikeError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}
