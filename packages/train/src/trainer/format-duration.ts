/** Formats seconds as `1h 02m 03s` / `4m 05s` / `6.1s`. */
export function formatDuration(seconds: number): string {
  // Round once, before splitting: rounding the seconds part alone printed 779.6 s as "12m 60s".
  if (seconds < 59.95) return `${seconds.toFixed(1)}s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m ${String(s).padStart(2, '0')}s` : `${m}m ${String(s).padStart(2, '0')}s`;
}
