// The day's spend across sessions, restarts and midnight, and what a budget decides (pure).
import { describe, expect, it } from 'vitest';
import {
  foldSpend,
  localDay,
  planBudget,
  spentToday,
  type CostReading,
} from '../../../../../controllers/agent/attention/budget-plan.js';
import type { SpendRecord } from '../../../../../src/registry/attention-record.js';

function fold(steps: [string, CostReading | null][]): SpendRecord {
  let s: SpendRecord | null = null;
  for (const [day, r] of steps) s = foldSpend(s, day, r);
  return s!;
}
const D1 = '2026-12-06';
const D2 = '2026-12-07';

describe('foldSpend', () => {
  const cases: [string, [string, CostReading | null][], number, number][] = [
    [
      'one session',
      [
        [D1, { session: 'a', costUsd: 1 }],
        [D1, { session: 'a', costUsd: 2.5 }],
      ],
      2.5,
      2.5,
    ],
    [
      'a restart never resets the day: the old session is closed, the new one adds',
      [
        [D1, { session: 'a', costUsd: 3 }],
        [D1, { session: 'b', costUsd: 0 }],
        [D1, { session: 'b', costUsd: 1 }],
      ],
      4,
      4,
    ],
    [
      'a session over midnight counts from its figure at midnight',
      [
        [D1, { session: 'a', costUsd: 3 }],
        [D2, { session: 'a', costUsd: 3.5 }],
      ],
      0.5,
      3.5,
    ],
    [
      'a new day with no reading yet starts at 0',
      [
        [D1, { session: 'a', costUsd: 3 }],
        [D2, null],
      ],
      0,
      3,
    ],
    [
      'a figure that went down in the same session is a new session',
      [
        [D1, { session: 'a', costUsd: 2 }],
        [D1, { session: 'a', costUsd: 0.5 }],
      ],
      2.5,
      2.5,
    ],
    [
      'the same figure again changes nothing',
      [
        [D1, { session: 'a', costUsd: 2 }],
        [D1, { session: 'a', costUsd: 2 }],
      ],
      2,
      2,
    ],
  ];
  it.each(cases)('%s', (_, steps, today, total) => {
    const s = fold(steps);
    expect(spentToday(s)).toBeCloseTo(today);
    expect(s.totalUsd).toBeCloseTo(total);
  });

  it('survives a controller restart (the record is JSON)', () => {
    const s = JSON.parse(JSON.stringify(fold([[D1, { session: 'a', costUsd: 3 }]]))) as SpendRecord;
    expect(spentToday(foldSpend(s, D1, { session: 'b', costUsd: 1 }))).toBeCloseTo(4);
  });
});

describe('planBudget', () => {
  const spent = (usd: number, extra: Partial<SpendRecord> = {}): SpendRecord => ({
    ...fold([[D1, { session: 'a', costUsd: usd }]]),
    ...extra,
  });
  const suspend = { usdPerDay: 20, onExceed: 'Suspend' as const };
  const notify = { usdPerDay: 20, onExceed: 'Notify' as const };
  it.each([
    ['under the budget', spent(19.99), suspend, 'h', 'none'],
    ['at the budget: suspend', spent(20), suspend, 'h', 'suspend'],
    ['already suspended today, same spec', spent(25, { suspendedDay: D1, suspendedHash: 'h' }), suspend, 'h', 'none'],
    ['suspended yesterday: lift', spent(25, { suspendedDay: '2026-12-05', suspendedHash: 'h' }), suspend, 'h', 'lift'],
    ['the spec changed: lift', spent(25, { suspendedDay: D1, suspendedHash: 'old' }), suspend, 'h', 'lift'],
    ['the budget was removed: lift', spent(25, { suspendedDay: D1, suspendedHash: 'h' }), undefined, 'h', 'lift'],
    ['no budget', spent(1000), undefined, 'h', 'none'],
    ['Notify: once a day', spent(21), notify, 'h', 'notify'],
    ['Notify: already today', spent(21, { notifiedDay: D1 }), notify, 'h', 'none'],
  ] as const)('%s', (_, s, budget, hash, kind) => expect(planBudget(s, budget, hash).kind).toBe(kind));

  it('says how much was spent and the limit', () => {
    expect(planBudget(spent(20.5), suspend, 'h')).toEqual({
      kind: 'suspend',
      message: 'spent $20.50 today, over the budget of $20.00 a day',
    });
  });

  it('local day', () => {
    expect(localDay(new Date(2026, 11, 6, 23, 59).getTime())).toBe('2026-12-06');
    expect(localDay(new Date(2026, 11, 7, 0, 0).getTime())).toBe('2026-12-07');
  });
});
