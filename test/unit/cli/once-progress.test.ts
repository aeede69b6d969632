// reconcile --once's live line (pure): how many are Ready, and the first agent it still waits for.
import { describe, expect, it } from 'vitest';
import type { OnceOutcome } from '../../../controllers/agent/outcomes.js';
import { progressLine } from '../../../src/cli/once-progress.js';

const o = (name: string, converged: boolean, x: Partial<OnceOutcome> = {}): OnceOutcome => ({
  name,
  converged,
  phase: converged ? 'Running' : 'Pending',
  reason: '',
  message: '',
  pruned: false,
  ...x,
});

describe('progressLine', () => {
  it.each<[string, OnceOutcome[], number, string]>([
    ['all ready', [o('a', true), o('b', true)], 2500, 'waiting 2s: 2/2 Ready'],
    [
      'one waiting on a dependency',
      [
        o('a', true),
        o('a005', false, { reason: 'DependencyNotReady', message: 'waiting for db to be Ready' }),
        o('b', false),
      ],
      12_000,
      'waiting 12s: 1/3 Ready — a005 Pending (waiting for db to be Ready), 1 more',
    ],
    [
      'the reason when there is no message',
      [o('a', false, { phase: 'Unknown', reason: 'NotReconciled' })],
      0,
      'waiting 0s: 0/1 Ready — a Unknown (NotReconciled)',
    ],
    ['pruned agents are not counted', [o('gone', true, { pruned: true }), o('a', true)], 0, 'waiting 0s: 1/1 Ready'],
  ])('%s', (_, outcomes, ms, want) => expect(progressLine(outcomes, ms)).toBe(want));
});
