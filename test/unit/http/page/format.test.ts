// The fleet page's pure helpers (plain browser JavaScript, imported as is): selectors, ages, tones.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript shipped to the browser, without type declarations
import * as format from '../../../../src/http/page/format.js';

const { age, ago, matchesSelector, newWaits, parseSelector, phaseTone, PHASES, waitingItems, waitReason } = format;

type Labels = Record<string, string>;
const sel = (text: string, labels: Labels): boolean => matchesSelector(labels, parseSelector(text)) as boolean;

describe('label selectors', () => {
  const l: Labels = { team: 'research', tier: 'prod', empty: '' };
  it.each([
    ['', true],
    ['team=research', true],
    ['team==research', true],
    ['team = research', true],
    ['team=ml', false],
    ['team!=ml', true],
    ['team!=research', false],
    ['missing!=x', true],
    ['team', true],
    ['missing', false],
    ['!missing', true],
    ['!team', false],
    ['team=research,tier=prod', true],
    ['team=research,tier=dev', false],
    ['empty=', true],
    ['team=research, ,tier=prod', true],
  ])('%j on team=research,tier=prod,empty= → %s', (text, ok) => {
    expect(sel(text, l)).toBe(ok);
  });

  it.each(['a=b=c', 'a!b', '=x', 'a b=c', '!a=b'])('refuses %j, naming the term', (text) => {
    expect(() => parseSelector(text)).toThrow(/not a label selector term/);
  });

  it('matches nothing but absence on an agent without labels', () => {
    expect(sel('team=x', undefined as unknown as Labels)).toBe(false);
    expect(sel('!team', undefined as unknown as Labels)).toBe(true);
  });
});

describe('ages', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  const before = (ms: number): string => new Date(now - ms).toISOString();
  it.each([
    [null, '-'],
    ['not a date', '-'],
    [before(0), '0s'],
    [before(90_000), '90s'],
    [before(5 * 60_000), '5m'],
    [before(3 * 3600_000), '3h'],
    [before(72 * 3600_000), '3d'],
    [before(-5000), '0s'],
  ])('age(%j) → %s', (iso, text) => {
    expect(age(iso, now)).toBe(text);
  });

  it('reads relative times', () => {
    expect(ago(before(500), now)).toBe('just now');
    expect(ago(before(3 * 60_000), now)).toBe('3m ago');
    expect(ago(null, now)).toBe('-');
  });
});

describe('phase tones', () => {
  it('gives every phase a colour, bad ones red', () => {
    expect(PHASES).toHaveLength(8);
    expect(PHASES.map(phaseTone)).toEqual(['good', 'wait', 'bad', 'bad', 'unknown', 'off', 'off', 'done']);
    expect(phaseTone('Whatever')).toBe('unknown');
  });
});

describe('waiting for a person', () => {
  const w = (
    name: string,
    activity: string,
    since: string,
    waitingFor: string | null = null,
    msg: string | null = null,
  ) => ({
    name,
    claude: { activity, activitySince: since, waitingFor, waitingMessage: msg },
  });
  const items = [
    w('b', 'WaitingForInput', '2026-01-01T10:05:00Z', 'permission', 'Claude wants to use Bash'),
    w('a', 'Idle', '2026-01-01T10:00:00Z'),
    w('c', 'WaitingForInput', '2026-01-01T10:01:00Z', 'question'),
    { name: 'd' },
  ];
  it('lists waiting agents only, the longest waiting first', () => {
    expect((waitingItems(items) as { name: string }[]).map((i) => i.name)).toEqual(['c', 'b']);
  });
  it('says why', () => {
    expect(waitReason(items[0])).toBe('permission: Claude wants to use Bash');
    expect(waitReason(items[2])).toBe('question');
  });
  it('finds each wait once: a new agent waiting, or the same agent waiting again later', () => {
    const seen = new Map<string, string>();
    const names = (x: unknown): string[] => (x as { name: string }[]).map((i) => i.name);
    expect(names(newWaits(items, seen))).toEqual(['c', 'b']);
    expect(names(newWaits(items, seen))).toEqual([]);
    const later = [w('b', 'WaitingForInput', '2026-01-01T10:09:00Z', 'permission'), items[2]];
    expect(names(newWaits(later, seen))).toEqual(['b']);
    expect(names(newWaits([], seen))).toEqual([]);
    expect(seen.size).toBe(0);
  });
});
