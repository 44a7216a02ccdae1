/**
 * deepspike — the command line, and the one import for the public API of every DeepSpike package.
 * @packageDocumentation
 */
export * from '@deepspike/core';
export { buildProgram, runCli } from './program.js';
export { CliError } from './cli-error.js';
