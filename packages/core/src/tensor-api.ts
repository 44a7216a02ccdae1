/**
 * The tf.js API that generated model classes (`@deepspike/codegen`'s `emitModel`) use, re-exported so
 * a project holding a generated class needs only `@deepspike/core`, not a dependency of its own on
 * `@tensorflow/tfjs-core` (whose version core pins).
 */
export { tidy, addN } from '@tensorflow/tfjs-core';
export type { Tensor } from '@tensorflow/tfjs-core';
