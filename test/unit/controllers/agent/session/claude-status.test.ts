// A Claude agent's readings folded into its record, and the context policy once per crossing (pure).
import { describe, expect, it } from 'vitest';
import { ClaudeContext } from '../../../../../src/spec/schema.js';
import {
  applyContextPolicy,
  emptyClaudeRecord,
  foldActivity,
  foldReading,
  HOOKLESS_AFTER_MS,
  hooksSilent,
} from '../../../../../controllers/agent/session/claude-status.js';
import type { ActivityReading, ClaudeReading } from '../../../../../controllers/agent/session/hub.js';
import { STARTING } from '../../../../../src/claude/activity/reduce.js';

const reading = (o: Partial<ClaudeReading>): ClaudeReading => ({ source: 'transcript', takenAt: 100, ...o });

describe('foldReading', () => {
  it('replaces what status shows and keeps the policy state', () => {
    const prev = {
      ...emptyClaudeRecord(),
      model: 'old',
      sessionId: 's0',
      contextPercent: 50,
      armed: false,
      compactions: 2,
    };
    expect(
      foldReading(
        prev,
        reading({
          model: 'claude-opus-4-5',
          sessionId: 's1',
          contextPercent: 12.345,
          lastActivity: '2026-11-29T10:00:00.000Z',
        }),
      ),
    ).toEqual({
      ...emptyClaudeRecord(),
      model: 'claude-opus-4-5',
      sessionId: 's1',
      contextPercent: 12.3,
      lastActivity: '2026-11-29T10:00:00.000Z',
      source: 'transcript',
      checkedAt: 100,
      armed: false,
      restartPending: null,
      compactions: 2,
    });
  });

  it('a reading without a figure (just compacted) drops the old figure', () => {
    const folded = foldReading({ ...emptyClaudeRecord(), contextPercent: 90 }, reading({ source: 'none' }));
    expect(folded.contextPercent).toBeUndefined();
    expect(folded.source).toBe('none');
  });
});

describe('applyContextPolicy', () => {
  const ctx = ClaudeContext.parse({ triggerAtPercent: 50, strategy: 'restart' });
  it.each([
    { case: 'below the trigger', percent: 40, armed: true, action: undefined, armedAfter: true },
    { case: 'at the trigger: fires and disarms', percent: 50, armed: true, action: 'restart', armedAfter: false },
    {
      case: 'still above: nothing (once per crossing)',
      percent: 70,
      armed: false,
      action: undefined,
      armedAfter: false,
    },
    { case: 'fallen a little: still disarmed', percent: 35, armed: false, action: undefined, armedAfter: false },
    { case: 'fallen well below: re-armed', percent: 30, armed: false, action: undefined, armedAfter: true },
    { case: 'unknown: nothing, state kept', percent: undefined, armed: false, action: undefined, armedAfter: false },
  ])('$case', ({ percent, armed, action, armedAfter }) => {
    const r = applyContextPolicy(
      { ...emptyClaudeRecord(), ...(percent !== undefined ? { contextPercent: percent } : {}), armed },
      ctx,
    );
    expect(r.action).toBe(action);
    expect(r.record.armed).toBe(armedAfter);
    if (action) expect(r.reason).toBe(`context ${percent}% ≥ 50%`);
  });

  it('without claude.context nothing ever fires', () => {
    expect(applyContextPolicy({ ...emptyClaudeRecord(), contextPercent: 99 }, undefined).action).toBeUndefined();
  });
});

describe('foldActivity and hooksSilent', () => {
  const act = (o: Partial<ActivityReading>): ActivityReading => ({ ...STARTING, capped: false, takenAt: 500, ...o });

  it('takes activity, ids, cost and the status line figure; since moves only on a change', () => {
    const a = foldActivity(
      emptyClaudeRecord(),
      act({
        activity: 'Working',
        since: 400,
        sessionStarted: true,
        sessionId: 's',
        costUsd: 0.1,
        contextPercent: 33.33,
      }),
    );
    expect(a).toMatchObject({ activity: 'Working', activitySince: 400, sessionStarted: true, sessionId: 's' });
    expect([a.costUsd, a.contextPercent, a.source]).toEqual([0.1, 33.3, 'hooks']);
    const b = foldActivity(a, act({ activity: 'Working', since: 450 }));
    expect(b.activitySince).toBe(400);
    const c = foldActivity(b, act({ activity: 'WaitingForInput', waitingFor: 'permission', message: 'm', since: 480 }));
    expect([c.activity, c.waitingFor, c.waitingMessage, c.activitySince]).toEqual([
      'WaitingForInput',
      'permission',
      'm',
      480,
    ]);
  });

  it('a capped events file says Unknown', () => {
    expect(foldActivity(emptyClaudeRecord(), act({ activity: 'Idle', capped: true })).activity).toBe('Unknown');
  });

  it('a transcript reading does not replace the status line figure', () => {
    const a = foldActivity(emptyClaudeRecord(), act({ contextPercent: 20 }));
    expect(foldReading(a, reading({ contextPercent: 95, sessionId: 'old' }))).toMatchObject({ contextPercent: 20 });
  });

  it('hooks silent long after the start: only with a layer and no SessionStart', () => {
    const hooks = { incarnation: 'i', handle: 'h', events: 'e', status: 's' };
    const r = { ...emptyClaudeRecord(), hooks };
    expect(hooksSilent(r, 0, HOOKLESS_AFTER_MS - 1)).toBe(false);
    expect(hooksSilent(r, 0, HOOKLESS_AFTER_MS)).toBe(true);
    expect(hooksSilent({ ...r, sessionStarted: true }, 0, HOOKLESS_AFTER_MS)).toBe(false);
    expect(hooksSilent(emptyClaudeRecord(), 0, HOOKLESS_AFTER_MS)).toBe(false);
  });
});
