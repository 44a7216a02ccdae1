/**
 * Errors raised by DeepSpike. Every message follows the house format:
 * `<where>: <what was wrong>, got <actual>; expected <expected>. <how to fix>`.
 */

/** Base class of every error DeepSpike throws on purpose (bad input, missing plugin, ...). */
export class DeepSpikeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A registry lookup missed: unknown kind entry. */
export class UnknownEntryError extends DeepSpikeError {}

/** A registry registration clashed with an existing entry. */
export class DuplicateEntryError extends DeepSpikeError {}

/** A compute backend could not be initialised. */
export class BackendError extends DeepSpikeError {}

/** A plugin package could not be loaded or is malformed. */
export class PluginError extends DeepSpikeError {}

/** A tensor argument has the wrong rank, shape, layout or dtype, or a scalar option is out of range. */
export class InvalidArgumentError extends DeepSpikeError {}

/** Saved weights do not match the model they are loaded into. */
export class WeightsMismatchError extends DeepSpikeError {}

/**
 * Throws an {@link InvalidArgumentError} with the lazily built message when `cond` is false
 * (the tf.js `assert(cond, () => message)` idiom).
 */
export function check(cond: unknown, message: () => string): asserts cond {
  if (!cond) throw new InvalidArgumentError(message());
}
