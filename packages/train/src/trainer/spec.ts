import type { ModelSpec, Training } from '@deepspike/dsl';

/**
 * The spec the trainer reads: exactly the `ModelSpec` that `@deepspike/dsl`'s validator returns
 * (types generated from schemas/*.schema.json), so `train({ spec: await validateModelFile(f) })`
 * type-checks with no cast. One type from the validator to `train()`.
 */
export type TrainableSpec = ModelSpec;

/** `training` of a model file (schemas/training.schema.json). */
export type TrainingSection = Training;
