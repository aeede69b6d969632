// describe's times: relative at a terminal (`3m ago`, `in 40s`), ISO 8601 in a pipe.
import { describe, expect, it } from 'vitest';
import { timeText } from '../../../../src/cli/commands/describe.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');

describe('timeText', () => {
  it.each<[string | null, boolean, string]>([
    ['2026-01-01T11:57:00.000Z', true, '3m ago'],
    ['2026-01-01T11:59:15.000Z', true, '45s ago'],
    ['2026-01-01T12:00:40.000Z', true, 'in 40s'],
    ['2025-12-29T12:00:00.000Z', true, '3d ago'],
    ['2026-01-01T11:57:00.000Z', false, '2026-01-01T11:57:00.000Z'],
    [null, true, '-'],
  ])('%s (relative %s) → %s', (iso, rel, want) => expect(timeText(iso, rel, NOW)).toBe(want));
});
