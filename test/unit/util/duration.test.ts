// Durations written like 500ms, 30s, 2m, 1h: parsed, and refused past what a timer can wait.
import { describe, expect, it } from 'vitest';
import { MAX_DURATION_MS, parseDuration, parseFlagDuration } from '../../../src/util/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['10', 10_000],
    ['24d', 24 * 86_400_000],
  ])('%s -> %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '-1s', '1e400'])('"%s" is not a duration', (text) => {
    expect(() => parseDuration(text)).toThrow(/not a duration/);
  });

  it('past 2^31 ms (about 24.8 days) is refused: a timer would fire at once', () => {
    expect(MAX_DURATION_MS).toBe(2 ** 31 - 1);
    expect(() => parseDuration('25d')).toThrow('too long: "25d" (at most 24 days: a longer delay cannot be timed)');
    expect(() => parseDuration('3000000')).toThrow(/too long/);
  });
});

describe('parseFlagDuration', () => {
  it.each([
    ['30s', 30_000],
    ['0', 0],
    ['0.0', 0],
    ['1h', 3_600_000],
  ])('%s -> %d ms', (text, ms) => {
    expect(parseFlagDuration(text)).toBe(ms);
  });

  it.each(['1', '30', '2.5'])('"%s" without a unit is refused (not read as seconds)', (text) => {
    expect(() => parseFlagDuration(text)).toThrow(`"${text}" has no unit`);
  });
});
