/**
 * User-facing messages of the paper-claim benchmarks (depth ablation, accuracy, time steps), in one place so tests can assert them.
 * Format: `<where>: <what was wrong>, got <actual>; expected <expected>. <how to fix>`.
 */
export const messages = {
  recordUnreadable(file: string, cause: string): string {
    return `deepspike bench html: ${file} is not readable JSON, got ${cause}; expected the records of bench depth --out or bench timesteps. Pass a results file such as depth.json.`;
  },
  recordInfoMissing(file: string, info: string): string {
    return `deepspike bench html: ${file} is a depth ablation without its run information, got no ${info} beside it; expected both (bench depth --out writes them together). Copy ${info} next to it.`;
  },
  recordMissing(file: string): string {
    return `deepspike bench html: ${file} does not exist, got no such file or folder; expected a results file or a folder of them. Check the path.`;
  },
  recordWithoutPage(file: string): string {
    return `deepspike bench html: ${file} has no page, got records that are neither a depth ablation nor a T study; expected depth.json (bench depth --out) or timesteps.json (bench timesteps). Accuracy records have no HTML page.`;
  },
  badList(flag: string, got: string, expected: string): string {
    return `deepspike bench: ${flag} is not a valid list, got "${got}"; expected ${expected}. Pass a comma-separated list, e.g. ${flag} ${expected.includes('norm') ? 'tdbn,bn' : '8,20'}.`;
  },
  badDepth(depth: number, residual: boolean): string {
    return residual
      ? `deepspike bench depth: residual depth is not even and at least 4, got ${depth}; expected 2 + 2*blocks (e.g. 8, 14, 20, 32). Pick an even depth >= 4.`
      : `deepspike bench depth: plain depth is too small, got ${depth}; expected an integer >= 2 (convolutions + the classifier). Pick a depth >= 2.`;
  },
  badNorm(norm: string, known: readonly string[]): string {
    return `deepspike bench depth: unknown norm "${norm}", got "${norm}"; expected one of ${known.join(', ')}. Pass --norms with registered norm names or "none".`;
  },
  badChoice(flag: string, got: string, choices: readonly string[]): string {
    return `deepspike bench: ${flag} got "${got}"; expected one of ${choices.join(', ')}. Pass ${flag} ${choices[0]}.`;
  },
  badInt(flag: string, got: unknown, min: number): string {
    return `deepspike bench: ${flag} must be an integer >= ${min}, got ${String(got)}; expected e.g. ${Math.max(min, 2)}. Pass ${flag} <n>.`;
  },
  modelNotFound(path: string): string {
    return `deepspike bench: no model file found, got ${path}; expected a *.snn.json file or a folder holding exactly one. Pass --model examples/<name>.`;
  },
  modelAmbiguous(path: string, files: readonly string[]): string {
    return `deepspike bench: several model files in one folder, got ${path} with ${files.join(', ')}; expected exactly one. Pass --model with the file itself.`;
  },
  staticOnly(where: string, encoding: string): string {
    return `${where}: the model's input is not static, got encoding "${encoding}"; expected a static (direct/poisson) input whose T can change. Pass a model with a static input.`;
  },
} as const;
