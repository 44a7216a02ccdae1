/**
 * Every user-facing message of the adaptive-LIF plugin, in the house format
 * `<where>: <what was wrong>, got <actual>; expected <expected>. <how to fix>`.
 */
const show = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : Array.isArray(v) ? `[${v.join(', ')}]` : String(v));

/** Messages of `@deepspike-examples/plugin-adaptive-lif` (tests assert these). */
export const alifMessages = {
  /** A scalar option out of its range. */
  option: (where: string, key: string, got: unknown, expected: string): string =>
    `${where}: option "${key}" is out of range, got ${show(got)}; expected ${expected}. Fix the value in the model file's neuron options or the constructor call.`,
  /** A surrogate parameter out of range. */
  surrogateParam: (key: string, got: unknown): string =>
    `triangle surrogate: parameter "${key}" must be a positive finite number, got ${show(got)}; expected > 0. Set params.${key} to the half-width of the triangle (1 is the usual choice).`,
  /** A dataset split or index outside the dataset. */
  sampleIndex: (split: string, index: number, size: number): string =>
    `toy-spike-patterns: sample index out of range, got ${split}[${index}]; expected 0 <= index < ${size}. Ask only for indices below dataset.size("${split}").`,
  /** A split name that does not exist. */
  split: (split: unknown): string => `toy-spike-patterns: unknown split, got ${show(split)}; expected "train" or "test". Use one of the two splits.`,
  /** A dataset option out of range. */
  datasetOption: (key: string, got: unknown, expected: string): string =>
    `toy-spike-patterns: option "${key}" is out of range, got ${show(got)}; expected ${expected}. Fix training.dataset.options.${key} in the model file.`,
  /** A chip option out of range. */
  targetOption: (key: string, got: unknown, expected: string): string =>
    `target toy-chip: option "${key}" is out of range, got ${show(got)}; expected ${expected}. Fix hardware.options.${key} in the model file.`,
  /** A single step whose input does not match the carried adaptation state. */
  stepShape: (where: string, got: readonly number[], expected: readonly number[]): string =>
    `${where}: input shape changed between steps, got [${got.join(', ')}]; expected [${expected.join(', ')}]. Call resetState() before feeding a batch of another shape.`,
} as const;
