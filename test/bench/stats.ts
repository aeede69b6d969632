// Small statistics and number formatting for the bench tables (pure).

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

/** Nearest-rank percentile; NaN for an empty list. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function min(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : Math.min(...xs);
}

export function max(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : Math.max(...xs);
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function ms(x: number): string {
  if (!Number.isFinite(x)) return '-';
  return x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`;
}

export function ratio(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(2)}×` : '-';
}

export function mb(kb: number): string {
  return Number.isFinite(kb) ? `${(kb / 1024).toFixed(1)} MB` : '-';
}

export function pct(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(2)} %` : '-';
}

/** A latency table row: label, count, p50, p90, p99, min, max. */
export function latencyRow(label: string, xs: readonly number[]): string[] {
  return [
    label,
    String(xs.length),
    ms(percentile(xs, 50)),
    ms(percentile(xs, 90)),
    ms(percentile(xs, 99)),
    ms(min(xs)),
    ms(max(xs)),
  ];
}
