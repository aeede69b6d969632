// The output clock (pure): which samples are kept, where --since starts, when a line was first seen.
import { describe, expect, it } from 'vitest';
import { compact, firstSeen, nextSample, sinceStart, trimmedBetween, type Sample } from '../../../src/logs/clock.js';
import type { FileCursor, PaneCursor } from '../../../src/runtime/log-cursor.js';

const pane = (row: number, historySize = 0, p = '%0/1'): PaneCursor => ({
  kind: 'pane',
  pane: p,
  row,
  historySize,
  historyLimit: 10_000,
  lastRow: null,
});
const file = (offset: number, path = '/o/a.out'): FileCursor => ({ kind: 'file', path, offset });
const S = (t: number, c: PaneCursor | FileCursor, d?: number): Sample => (d ? { t, c, d } : { t, c });

describe('nextSample', () => {
  it.each<[string, Sample | undefined, PaneCursor | FileCursor, Sample | null]>([
    ['the first', undefined, pane(3), S(100, pane(3))],
    ['unchanged: none', S(50, pane(3)), pane(3), null],
    ['moved on', S(50, pane(3)), pane(5), S(100, pane(5))],
    ['another pane starts afresh', S(50, pane(3), 1000), pane(1, 0, '%1/2'), S(100, pane(1, 0, '%1/2'))],
    ['a trim is carried', S(50, pane(10049, 10000)), pane(9060, 9011), S(100, pane(9060, 9011), 1000)],
    ['a file grew', S(50, file(10)), file(20), S(100, file(20))],
  ])('%s', (_, last, c, want) => expect(nextSample(last, c, 100)).toEqual(want));

  it('trimmedBetween counts tenths of the limit', () => {
    expect(trimmedBetween(pane(0, 10000), pane(0, 9001))).toBe(1000);
    expect(trimmedBetween(pane(0, 10000), pane(0, 8500))).toBe(2000);
    expect(trimmedBetween(pane(0, 10), pane(0, 20))).toBe(0);
  });

  it('compact keeps the newest', () =>
    expect(compact([S(1, pane(1)), S(2, pane(2)), S(3, pane(3))], 2).map((s) => s.t)).toEqual([2, 3]));
});

describe('sinceStart', () => {
  const samples = [S(1000, pane(5)), S(2000, pane(9)), S(3000, pane(14))];
  it.each<[string, readonly Sample[], number, PaneCursor | FileCursor, number | null, unknown]>([
    ['the newest sample at or before t0', samples, 2500, pane(20), null, { from: pane(9) }],
    ['exactly at a sample', samples, 2000, pane(20), null, { from: pane(9) }],
    ['a stream started after t0 (by the record)', samples, 500, pane(20), 800, { from: 'start' }],
    [
      'a stream never sampled before t0, while others were',
      [S(100, pane(50, 0, '%9/9')), S(3000, pane(2))],
      2000,
      pane(4),
      null,
      { from: 'start' },
    ],
    ['nothing sampled that long ago', samples, 500, pane(20), null, { from: 'unknown', oldest: 1000 }],
    ['no samples at all', [], 500, pane(20), null, { from: 'unknown', oldest: null }],
    ['a file', [S(1000, file(40)), S(2000, file(90))], 1500, file(120), null, { from: file(40) }],
  ])('%s', (_, s, t0, now, started, want) => expect(sinceStart(s, t0, now, started)).toEqual(want));

  it("rows of a trimmed pane are brought to today's count", () => {
    const trimmed = [S(1000, pane(10049, 10000)), S(2000, pane(9100, 9051), 1000)];
    expect(sinceStart(trimmed, 1500, pane(9200, 9151), null)).toEqual({ from: { ...pane(9200, 9151), row: 9049 } });
  });
});

describe('firstSeen', () => {
  const samples = [S(1000, pane(5)), S(2000, pane(9)), S(3000, pane(14))];
  it.each<[string, number, number | null, number | null]>([
    ['a line the first sample saw, taken soon after the start', 2, 990, 1000],
    ['between two samples: the later one', 6, null, 2000],
    ['newer than every sample: the read', 15, null, 9999],
    ['before the first sample, which came long after the start: unknown', 2, 1000 - 60_000, null],
  ])('%s', (_, pos, started, want) => expect(firstSeen(samples, pos, pane(16), 9999, started)).toBe(want));

  it('a stream never sampled has no times', () =>
    expect(firstSeen(samples, 1, pane(3, 0, '%5/5'), 9999, null)).toBeNull());
});
