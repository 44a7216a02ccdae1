/**
 * @deepspike/core/testing — helpers for DeepSpike's tests and for plugin authors' tests:
 * value comparison with tolerances, numerical gradient checks, and the golden vectors in the
 * repository's `testdata/golden`.
 * @packageDocumentation
 */
export * from './close.js';
export * from './check-grad.js';
export * from './golden.js';
export * from './timing.js';
