/**
 * deepspike — the command line, and one import for the public API of the packages it is built on:
 * `@deepspike/core` flat (`import { initBackend, registry } from 'deepspike'`), and each other
 * package the command depends on as a namespace of the same name
 * (`import { dsl, train } from 'deepspike'; train.train({ spec: await dsl.validateModelFile(f), ... })`).
 * Namespaces, because the packages share export names (each has a `deepspikePlugin` and `messages`).
 * `@deepspike/surrogate` and `@deepspike/tdbn` are not re-exported: import them by their own names.
 * @packageDocumentation
 */
export * from '@deepspike/core';
export * as bench from '@deepspike/bench';
export * as codegen from '@deepspike/codegen';
export * as datasets from '@deepspike/datasets';
export * as distributed from '@deepspike/distributed';
export * as dsl from '@deepspike/dsl';
export * as neuromorphic from '@deepspike/neuromorphic';
export * as train from '@deepspike/train';
export { buildProgram, runCli } from './program.js';
export { CliError } from './shared/cli-error.js';
