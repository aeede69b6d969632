// claude.context: compact or restart once per crossing, re-armed only well below the trigger.
import { describe, expect, it } from 'vitest';
import {
  decideContext,
  INITIAL_CONTEXT_POLICY,
  rearmBelowPercent,
  type ContextPolicyState,
} from '../../../src/claude/context-policy.js';
import { ClaudeContext } from '../../../src/spec/schema.js';

const ctx = (o: Record<string, unknown> = {}) => ClaudeContext.parse(o);

/** Feeds a series of readings and returns what was done at each. */
function run(
  readings: (number | undefined)[],
  context = ctx(),
  start: ContextPolicyState = INITIAL_CONTEXT_POLICY,
): string[] {
  let state = start;
  return readings.map((p) => {
    const d = decideContext(p, context, state);
    state = d.state;
    return d.action ?? (state.armed ? '.' : 'x');
  });
}

describe('decideContext', () => {
  it.each([
    { case: 'below the trigger: nothing', readings: [10, 50, 84.9], want: ['.', '.', '.'] },
    {
      case: 'at the trigger: compact (the default strategy), once',
      readings: [80, 85, 86, 90, 99],
      want: ['.', 'compact', 'x', 'x', 'x'],
    },
    {
      case: 'wobbling around the trigger never fires twice',
      readings: [86, 84, 86, 80, 88, 66, 90],
      want: ['compact', 'x', 'x', 'x', 'x', 'x', 'x'],
    },
    {
      case: 'fires again after falling to the re-arm point (85 → 65)',
      readings: [86, 65, 70, 85],
      want: ['compact', '.', '.', 'compact'],
    },
    { case: 'just above the re-arm point stays disarmed', readings: [86, 65.1, 90], want: ['compact', 'x', 'x'] },
    {
      case: 'unknown readings (just compacted, no transcript) change nothing',
      readings: [90, undefined, undefined, 95],
      want: ['compact', 'x', 'x', 'x'],
    },
    { case: 'unknown while armed: still armed', readings: [undefined, 85], want: ['.', 'compact'] },
    { case: 'a first reading far above the trigger acts at once', readings: [100], want: ['compact'] },
  ])('$case', ({ readings, want }) => {
    expect(run(readings)).toEqual(want);
  });

  it('restart strategy and a custom trigger', () => {
    expect(run([50, 60, 61, 30, 60], ctx({ triggerAtPercent: 60, strategy: 'restart' }))).toEqual([
      '.',
      'restart',
      'x',
      '.',
      'restart',
    ]);
  });

  it('without claude.context nothing is ever done', () => {
    expect(decideContext(100, undefined, INITIAL_CONTEXT_POLICY)).toEqual({ state: { armed: true } });
  });

  it('says why it acted', () => {
    expect(decideContext(87.26, ctx(), INITIAL_CONTEXT_POLICY).reason).toBe('context 87.3% ≥ 85%');
  });
});

describe('rearmBelowPercent', () => {
  it.each([
    [85, 65],
    [100, 80],
    [40, 20],
    [30, 15],
    [10, 5],
    [1, 0.5],
  ])('trigger %s → re-arm at %s', (trigger, rearm) => {
    expect(rearmBelowPercent(trigger)).toBe(rearm);
  });
});
