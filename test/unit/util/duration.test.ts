// Duration flags like 500ms, 30s, 2m, 1h.
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/util/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5', 1500],
    ['0', 0],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', 'soon', '-1s', '5 parsecs'])('rejects %j', (text) => expect(() => parseDuration(text)).toThrow(/not a duration/));
});
