// Plain padded columns (as kubectl prints them) that later rows can be aligned to: get -w (pure).
import { stripVTControlCharacters } from 'node:util';

const GAP = '   ';
const width = (s: string): number => stripVTControlCharacters(s).length;

/** Each column as wide as its widest cell (colour codes do not count). */
export function columnWidths(rows: readonly (readonly string[])[]): number[] {
  const w: number[] = [];
  for (const r of rows) r.forEach((c, i) => (w[i] = Math.max(w[i] ?? 0, width(c))));
  return w;
}

/** One row padded to `widths` (a longer cell pushes the rest right), without trailing blanks. */
export function formatRow(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(c)))))
    .join(GAP)
    .trimEnd();
}

export function formatRows(rows: readonly (readonly string[])[], widths = columnWidths(rows)): string {
  return rows.map((r) => `${formatRow(r, widths)}\n`).join('');
}
