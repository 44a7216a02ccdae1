/**
 * The parts of a model spec (`@deepspike/dsl`'s `ModelSpec`, schemas/training.schema.json) the
 * trainer reads. Structural, so a `ModelSpec` is accepted as is.
 */
export interface TrainableSpec {
  readonly name: string;
  readonly timesteps?: number;
  readonly readout?: string;
  readonly training?: TrainingSection;
  readonly [key: string]: unknown;
}

/** `training` of a model file (schemas/training.schema.json). */
export interface TrainingSection {
  readonly dataset: { readonly name: string; readonly options?: Readonly<Record<string, unknown>> };
  readonly batchSize?: number;
  readonly epochs?: number;
  readonly optimizer?: {
    readonly name: string;
    readonly lr?: number;
    readonly momentum?: number;
    readonly weightDecay?: number;
    readonly options?: Readonly<Record<string, unknown>>;
  };
  readonly schedule?: { readonly name: string; readonly options?: Readonly<Record<string, unknown>> };
  readonly loss?: string;
  readonly lossOptions?: Readonly<Record<string, unknown>>;
  readonly augmentation?: {
    readonly randomCrop?: number;
    readonly horizontalFlip?: boolean;
    readonly normalize?: { readonly mean: readonly number[]; readonly std: readonly number[] };
  };
  readonly seed?: number;
  readonly checkpointEvery?: number;
  readonly clipGradNorm?: number;
  readonly [key: string]: unknown;
}
