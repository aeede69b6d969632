// Readers for loosely typed values of the old format: maps, strings, string lists, durations.
import ms from 'ms';

export type OldMap = Record<string, unknown>;

export function isMap(v: unknown): v is OldMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** A scalar the old tool would have turned into a string (numbers, booleans). */
export function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Seconds from a number (seconds, as the old tool read them) or a duration like `30s`, `5m`.
 * A bare numeric string counts as seconds too (ms() would read it as milliseconds). */
export function seconds(v: unknown): number | undefined {
  let s: number | undefined;
  if (typeof v === 'number') s = v;
  else if (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v)) s = Number(v);
  else if (typeof v === 'string') {
    const parsed = ms(v as ms.StringValue);
    s = typeof parsed === 'number' ? parsed / 1000 : undefined;
  }
  return s !== undefined && Number.isFinite(s) && s > 0 ? s : undefined;
}

export function positiveInt(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Path of a child field for notes: `spec.hooks` + `pre_start` → `spec.hooks.pre_start`. */
export function child(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`;
}
