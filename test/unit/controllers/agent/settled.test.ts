// The one definition of "settled" (pure): what reconcile --once waits for.
import { describe, expect, it } from 'vitest';
import { isSettled, settleDueAt, SettledBook } from '../../../../controllers/agent/settled.js';
import type { Plan } from '../../../../controllers/agent/plan.js';
import { emptyRecord, type AgentRecord } from '../../../../src/registry/record.js';

const rec = (o: Partial<AgentRecord> = {}): AgentRecord => ({ ...emptyRecord('a', 'tmux', 'o', 0), ...o });
const plan = (action: Plan['action'], reason: Plan['reason']): Plan => ({
  action,
  reason,
  message: '',
  phase: 'Running',
});

describe('settleDueAt', () => {
  it.each([
    ['not running', rec({ phase: 'Pending', startedAt: 1000 }), 1000, null],
    ['no start time', rec({ phase: 'Running', startedAt: null }), 1000, null],
    ['settle 0', rec({ phase: 'Running', startedAt: 1000 }), 0, null],
    ['on the grid', rec({ phase: 'Running', startedAt: 1000 }), 1000, 2000],
    ['rounded up to half a second', rec({ phase: 'Running', startedAt: 1001 }), 1000, 2500],
    ['a short settle uses half of it as the grid', rec({ phase: 'Running', startedAt: 1001 }), 100, 1150],
  ])('%s', (_, r, settleMs, due) => expect(settleDueAt(r, settleMs)).toBe(due));

  it('agents started within one grid step are due together', () => {
    const dues = [1003, 1111, 1450, 1499].map((t) => settleDueAt(rec({ phase: 'Running', startedAt: t }), 1000));
    expect(new Set(dues).size).toBe(1);
  });
});

describe('isSettled', () => {
  const base = { now: 10_000, settleMs: 1000, dependenciesStuck: false };
  it.each([
    ['in sync and ready', plan('none', 'InSync'), rec({ phase: 'Running', ready: true, startedAt: 1 }), true],
    [
      'running but not ready (health check pending)',
      plan('none', 'InSync'),
      rec({ phase: 'Running', ready: false, startedAt: 1 }),
      false,
    ],
    ['queued Slurm job', plan('none', 'Queued'), rec({ phase: 'Pending' }), false],
    ['just created', plan('create', 'NotRunning'), rec({ phase: 'Pending' }), false],
    ['pruned', plan('prune', 'SpecRemoved'), undefined, true],
    ['backing off', plan('wait', 'BackOff'), rec({ phase: 'CrashLoopBackOff' }), true],
    ['prune refused', plan('wait', 'PruneBlocked'), rec({ phase: 'Running', ready: true }), true],
    ['not ours', plan('none', 'NotOwned'), undefined, true],
    ['exited under Never', plan('none', 'Exited'), rec({ phase: 'Failed' }), true],
    [
      'waiting on a dependency that may still come',
      plan('wait', 'DependencyNotReady'),
      rec({ phase: 'Pending' }),
      false,
    ],
  ])('%s → %s', (_, p, r, want) => expect(isSettled({ ...base, plan: p, record: r })).toBe(want));

  it('a dependency that settled without becoming Ready leaves its dependents stuck for good', () => {
    expect(
      isSettled({
        ...base,
        plan: plan('wait', 'DependencyNotReady'),
        record: rec({ phase: 'Pending' }),
        dependenciesStuck: true,
      }),
    ).toBe(true);
  });

  it('an agent started less than the settle time ago is not settled, whatever its plan says', () => {
    const young = rec({ phase: 'Running', ready: true, startedAt: 9500 });
    expect(isSettled({ ...base, plan: plan('none', 'InSync'), record: young })).toBe(false);
    expect(isSettled({ ...base, now: 11_000, plan: plan('none', 'InSync'), record: young })).toBe(true);
  });
});

describe('SettledBook', () => {
  it('says whether a name changed, and keeps plans only when asked', () => {
    const b = new SettledBook(true);
    expect(b.set('a', true)).toBe(true);
    expect(b.set('a', true)).toBe(false);
    expect(b.has('a')).toBe(true);
    expect(b.set('a', false)).toBe(true);
    b.record('a', plan('none', 'InSync'));
    expect(b.plans.get('a')?.reason).toBe('InSync');
    const quiet = new SettledBook();
    quiet.record('a', plan('none', 'InSync'));
    expect(quiet.plans.size).toBe(0);
  });
});
