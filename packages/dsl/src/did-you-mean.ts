/**
 * Edit distance between `a` and `b`, compared case-insensitively: insertions, deletions,
 * substitutions and swaps of two neighbouring characters cost 1 each (optimal string alignment,
 * so "sigmiod" is 1 away from "sigmoid").
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    const row = d[i] as number[];
    const prev = d[i - 1] as number[];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = best;
    }
  }
  return (d[s.length] as number[])[t.length] as number;
}

/**
 * The candidate closest to `word` when it is close enough to be a plausible typo: distance at most
 * max(1, floor(length / 3)), or one a prefix of the other. Ties go to the first candidate.
 * @returns undefined when nothing is close, or `word` itself is a candidate
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  if (word.length === 0 || candidates.includes(word)) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(word.length, best.length) / 3));
  const lw = word.toLowerCase();
  const lb = best.toLowerCase();
  return bestDistance <= limit || lb.startsWith(lw) || lw.startsWith(lb) ? best : undefined;
}
