/**
 * User-facing messages of the spiking ops, neurons and kernels of @deepspike/core (kept beside them
 * rather than in `src/messages.ts`, which other engineers edit, so tests can assert them all here).
 * Format: `<where>: <what was wrong>, got <actual>; expected <expected>. <how to fix>`.
 */
export const spikingMessages = {
  vth(where: string, got: unknown): string {
    return `${where}: the threshold vth must be a finite number > 0, got ${String(got)}; expected vth > 0 (e.g. 0.5). Pass a positive vth.`;
  },
  tau(where: string, got: unknown, upper = '[0, 1)'): string {
    return (
      `${where}: the decay tau must lie in ${upper}, got ${String(got)}; expected ${upper} ` +
      `(u[t] = tau*u[t-1]*(1-o[t-1]) + x[t]; tau = 0 is IF without memory, e.g. 0.25). Pass a decay factor, not a time constant.`
    );
  },
  surrogate(where: string, got: unknown): string {
    const shown = typeof got === 'string' ? `the string "${got}"` : got === null ? 'null' : typeof got;
    return (
      `${where}: surrogate must be a Surrogate object {name, params, derivative(x)}, got ${shown}; expected e.g. rect({alpha: 1}) ` +
      `from @deepspike/surrogate. Build one with registry.get('surrogate', name).create(params).`
    );
  },
  surrogateSpec(where: string, got: unknown): string {
    return (
      `${where}: surrogate must be a Surrogate, a registered name or {name, params}, got ${JSON.stringify(got) ?? String(got)}; ` +
      `expected e.g. "rect" or {name: "atan", params: {alpha: 2}}. Load @deepspike/surrogate to get the named surrogates.`
    );
  },
  rank(where: string, shape: readonly number[], expected: string, hint: string): string {
    return `${where}: x has rank ${shape.length}, got shape [${shape.join(', ')}]; expected ${expected}. ${hint}`;
  },
  dtype(where: string, dtype: string): string {
    return `${where}: x must be float32 currents, got dtype ${dtype}; expected float32. Cast with tf.cast(x, 'float32').`;
  },
  stepShape(where: string, got: readonly number[], expected: readonly number[]): string {
    return (
      `${where}: the step input has shape [${got.join(', ')}], got [${got.join(', ')}]; expected [${expected.join(', ')}] like the ` +
      `previous steps. Call resetState() before feeding a differently shaped sequence.`
    );
  },
  kernelSurrogate(name: string): string {
    return (
      `DeepSpikeSurrogateGrad: surrogate "${name}" is neither a Surrogate object nor registered, got {name: "${name}"}; ` +
      `expected a registered surrogate. Load @deepspike/surrogate (or the plugin defining it) first.`
    );
  },
};
