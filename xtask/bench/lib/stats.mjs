// Small statistics and formatting helpers.

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1];
}

export function summary(xs) {
  return {
    n: xs.length,
    median: median(xs),
    p95: percentile(xs, 95),
    min: Math.min(...xs),
    max: Math.max(...xs),
  };
}

export const bytes = (n) => `${Math.round(n).toLocaleString('en-US')} B`;
export const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
export const ms = (x, digits = 2) => (Number.isFinite(x) ? `${x.toFixed(digits)} ms` : 'n/a');
