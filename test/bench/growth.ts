// Cost per agent by N (the growth table) and its chart as plain SVG text (pure).
import type { VariantSummary } from './sections/cold-converge.js';

export interface GrowthRow {
  n: number;
  floorMsPerAgent: number;
  linesMsPerAgent: number;
  agentctlMsPerAgent: number;
  ratioToFloor: number;
  /** No-op `reconcile --once` over the converged fleet: its own durationMs per agent. */
  noopMsPerAgent: number;
  noopWallMs: number;
}

export function growthRows(summaries: readonly VariantSummary[], sizes: readonly number[]): GrowthRow[] {
  const get = (n: number, v: VariantSummary['variant']): VariantSummary | undefined =>
    summaries.find((s) => s.n === n && s.variant === v);
  return sizes.map((n) => {
    const f = get(n, 'floor')?.wallMsMedian ?? Number.NaN;
    const a = get(n, 'agentctl');
    return {
      n,
      floorMsPerAgent: f / n,
      linesMsPerAgent: (get(n, 'floor-agentctl-lines')?.wallMsMedian ?? Number.NaN) / n,
      agentctlMsPerAgent: (a?.wallMsMedian ?? Number.NaN) / n,
      ratioToFloor: (a?.wallMsMedian ?? Number.NaN) / f,
      noopMsPerAgent: (a?.extra.noopDurationMs ?? Number.NaN) / n,
      noopWallMs: a?.extra.noopWallMs ?? Number.NaN,
    };
  });
}

interface Series {
  label: string;
  color: string;
  points: [number, number][];
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A line chart of ms per agent against N (log scale), one line per series. */
export function growthSvg(rows: readonly GrowthRow[], title: string): string {
  const W = 720;
  const H = 420;
  const m = { l: 64, r: 200, t: 40, b: 50 };
  const series: Series[] = [
    { label: 'floor (plain tmux)', color: '#555', points: rows.map((r) => [r.n, r.floorMsPerAgent]) },
    { label: "floor, agentctl's lines", color: '#999', points: rows.map((r) => [r.n, r.linesMsPerAgent]) },
    { label: 'agentctl cold converge', color: '#c0392b', points: rows.map((r) => [r.n, r.agentctlMsPerAgent]) },
    { label: 'agentctl no-op (own time)', color: '#2471a3', points: rows.map((r) => [r.n, r.noopMsPerAgent]) },
  ].map((s) => ({ ...s, points: s.points.filter(([, y]) => Number.isFinite(y)) as [number, number][] }));
  const xs = rows.map((r) => r.n);
  const ys = series.flatMap((s) => s.points.map(([, y]) => y));
  const x0 = Math.log10(Math.min(...xs));
  const x1 = Math.log10(Math.max(...xs));
  const yMax = Math.max(0.001, ...ys) * 1.1;
  const px = (n: number): number => m.l + ((Math.log10(n) - x0) / Math.max(1e-9, x1 - x0)) * (W - m.l - m.r);
  const py = (y: number): number => H - m.b - (y / yMax) * (H - m.t - m.b);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${m.l}" y="22" font-size="14">${esc(title)}</text>`);
  // Axes, grid and ticks.
  out.push(`<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`);
  out.push(`<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>`);
  for (const n of xs) {
    out.push(
      `<line x1="${px(n).toFixed(1)}" y1="${H - m.b}" x2="${px(n).toFixed(1)}" y2="${H - m.b + 5}" stroke="black"/>`,
    );
    out.push(`<text x="${px(n).toFixed(1)}" y="${H - m.b + 18}" text-anchor="middle">${n}</text>`);
  }
  for (let i = 0; i <= 5; i++) {
    const y = (yMax / 5) * i;
    out.push(`<line x1="${m.l}" y1="${py(y).toFixed(1)}" x2="${W - m.r}" y2="${py(y).toFixed(1)}" stroke="#eee"/>`);
    out.push(`<text x="${m.l - 6}" y="${(py(y) + 4).toFixed(1)}" text-anchor="end">${y.toFixed(y < 1 ? 2 : 1)}</text>`);
  }
  out.push(
    `<text x="${((m.l + W - m.r) / 2).toFixed(0)}" y="${H - 12}" text-anchor="middle">agents (N, log scale)</text>`,
  );
  out.push(
    `<text x="16" y="${((m.t + H - m.b) / 2).toFixed(0)}" text-anchor="middle" transform="rotate(-90 16 ${((m.t + H - m.b) / 2).toFixed(0)})">ms per agent (wall)</text>`,
  );
  series.forEach((s, i) => {
    if (s.points.length > 0) {
      out.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`,
      );
      for (const [x, y] of s.points)
        out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${s.color}"/>`);
    }
    const ly = m.t + 10 + i * 20;
    out.push(
      `<line x1="${W - m.r + 12}" y1="${ly}" x2="${W - m.r + 32}" y2="${ly}" stroke="${s.color}" stroke-width="2"/>`,
    );
    out.push(`<text x="${W - m.r + 38}" y="${ly + 4}">${esc(s.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
