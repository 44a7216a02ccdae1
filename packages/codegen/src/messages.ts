/**
 * Every user-facing message of @deepspike/codegen, in one place so tests assert them.
 * Format: `<where>: <what was wrong>, got <actual>; expected <expected>. <how to fix>`.
 */
const shape = (s: readonly number[]): string => `[${s.join(', ')}]`;

export const messages = {
  needsImage(path: string, type: string, got: readonly number[]): string {
    return `${path}: a "${type}" layer needs an image [H, W, C], got input ${shape(got)}; expected rank 3. Move it before the flatten/globalAvgPool, or give input.shape as [H, W, C].`;
  },
  unknownInput(path: string, name: string, known: readonly string[]): string {
    return `${path}: inputs names ${JSON.stringify(name)}, which is not an earlier top-level layer; expected "input" or one of ${known.map((k) => JSON.stringify(k)).join(', ')}. Name the layer, or name an earlier one.`;
  },
  needsVector(path: string, type: string, got: readonly number[]): string {
    return `${path}: a "${type}" layer needs a vector [features], got input ${shape(got)}; expected rank 1. Add {"type": "flatten"} or {"type": "globalAvgPool"} before it.`;
  },
  emptyOutput(path: string, type: string, got: readonly number[], out: readonly number[]): string {
    return `${path}: the "${type}" layer shrinks its input ${shape(got)} to ${shape(out)}, got a size below 1; expected every output size >= 1. Use a smaller kernel/stride or more padding.`;
  },
  duplicateName(path: string, name: string, first: string): string {
    return `${path}: layer name "${name}" is used twice, got a second "${name}" (first at ${first}); expected unique names. Rename one of the layers.`;
  },
  reservedName(path: string, name: string): string {
    return `${path}: layer name "${name}" clashes with a member of the model class, got "${name}"; expected a name that is not a SpikingModel member (encoder, readout, forward, name, ...). Rename the layer, e.g. "${name}Layer".`;
  },
  eventsShape(where: string, got: readonly number[], expected: string): string {
    return `${where}: event frames have shape ${shape(got)}; expected ${expected}. Load the dataset with the frames and size the model file declares.`;
  },
  staticShape(where: string, got: readonly number[], expected: string): string {
    return `${where}: the input has shape ${shape(got)}; expected ${expected}. Pass a batch of samples shaped as input.shape in the model file.`;
  },
  badTimesteps(where: string, got: unknown): string {
    return `${where}: timesteps must be a positive integer, got ${JSON.stringify(got)}; expected >= 1. Fix "timesteps" or the override.`;
  },
};
