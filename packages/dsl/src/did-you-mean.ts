/**
 * Levenshtein distance between `a` and `b` (insertions, deletions and substitutions cost 1),
 * compared case-insensitively.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = cur;
  }
  return prev[t.length] as number;
}

/**
 * The candidate closest to `word` when it is close enough to be a plausible typo: distance at most
 * max(1, floor(length / 3)), or `word` a prefix of it / it a prefix of `word`. Ties go to the first.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined || best === word || word.length === 0) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(word.length, best.length) / 3));
  const lw = word.toLowerCase();
  const lb = best.toLowerCase();
  return bestDistance <= limit || lb.startsWith(lw) || lw.startsWith(lb) ? best : undefined;
}
