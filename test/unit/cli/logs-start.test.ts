// logs' first read: the last lines or the lines since a time, stamped by the output clock (a fake runtime's follow).
import { describe, expect, it } from 'vitest';
import { startRead, timestamp } from '../../../src/cli/logs-start.js';
import type { Sample } from '../../../src/logs/clock.js';
import type { LogCursor, LogRead, PaneCursor } from '../../../src/runtime/log-cursor.js';

/** A pane of 20 lines `l0`..`l19`, rows 0..19, cursor on row 20. */
const END: PaneCursor = { kind: 'pane', pane: '%0/1', row: 20, historySize: 0, historyLimit: 10_000, lastRow: null };
async function follow(_: string, cursor: LogCursor | null, backlog: number): Promise<LogRead> {
  const from = cursor === null ? Math.max(0, 20 - backlog) : (cursor as PaneCursor).row;
  const rows = Array.from({ length: 20 - from }, (_, i) => from + i);
  return { lines: rows.map((r) => `l${r}`), positions: rows, cursor: END };
}
const samples: Sample[] = [
  { t: 1000, c: { ...END, row: 5 } },
  { t: 2000, c: { ...END, row: 12 } },
];
const base = { follow, name: 'a', record: undefined, samples, now: 5000 };

describe('startRead', () => {
  it('the last lines, each with when it was first seen', async () => {
    const r = await startRead({ ...base, lines: 3, sinceMs: null });
    expect(r.lines).toEqual(['l17', 'l18', 'l19']);
    expect(r.times).toEqual([5000, 5000, 5000]);
    const older = await startRead({ ...base, lines: 10, sinceMs: null });
    expect(older.times.slice(0, 3)).toEqual([2000, 2000, 5000]);
  });

  it('--since starts at the newest sample before the time; -n keeps the last of those', async () => {
    expect((await startRead({ ...base, lines: null, sinceMs: 3500 })).lines).toEqual([
      'l5',
      'l6',
      'l7',
      'l8',
      'l9',
      'l10',
      'l11',
      'l12',
      'l13',
      'l14',
      'l15',
      'l16',
      'l17',
      'l18',
      'l19',
    ]);
    expect((await startRead({ ...base, lines: 2, sinceMs: 3500 })).lines).toEqual(['l18', 'l19']);
    expect((await startRead({ ...base, lines: null, sinceMs: 2500 })).lines[0]).toBe('l12');
  });

  it('--since older than the clock says so and shows the last lines', async () => {
    const r = await startRead({ ...base, lines: null, sinceMs: 4500 });
    expect(r.note).toBe(
      'output times are recorded only since 1970-01-01T00:00:01.000Z (the controller records them while it runs): showing the last 50 lines',
    );
    expect(r.lines).toHaveLength(20);
  });

  it('timestamps are UTC to the second, a dash when unknown', () => {
    expect(timestamp(Date.parse('2026-11-29T11:40:59.900Z'))).toBe('2026-11-29T11:40:59Z');
    expect(timestamp(null)).toBe('-'.padEnd(20));
  });
});
