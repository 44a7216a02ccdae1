import { DeepSpikeError } from '@deepspike/core';

/** Training stopped on a NaN/Inf loss or gradient. */
export class NonFiniteLossError extends DeepSpikeError {
  constructor(
    message: string,
    readonly step: number,
    readonly culprit: string,
    readonly checkpoint: string | null,
  ) {
    super(message);
  }
}
