import { DeepSpikeError } from '@deepspike/core';

/**
 * A dataset file or folder is missing, truncated or malformed. `file` names it; `offset` is the byte
 * offset of the first bad byte or record (absent when the problem is an entry, such as an empty folder).
 */
export class DatasetFormatError extends DeepSpikeError {
  constructor(
    message: string,
    readonly file: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}
