/**
 * Every user-facing message of @deepspike/surrogate, in one place so tests can assert them.
 * Format: `<where>: <what was wrong>, got <actual>; expected <expected>. <how to fix>`.
 */
export const surrogateMessages = {
  /** A parameter is not a finite number or lies outside its allowed range. */
  badParam(surrogate: string, param: string, got: unknown, expected: string, example: string): string {
    return (
      `${surrogate}: parameter "${param}" is out of range, got ${formatValue(got)}; expected ${expected}. ` +
      `Pass e.g. ${example}.`
    );
  },
  /** An unknown parameter name (usually a typo). */
  unknownParam(surrogate: string, param: string, known: readonly string[]): string {
    return (
      `${surrogate}: unknown parameter "${param}", got {${param}: ...}; expected only ` +
      `${known.length > 0 ? known.join(', ') : 'no parameters'}. Check the spelling.`
    );
  },
};

function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
