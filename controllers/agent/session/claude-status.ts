// A Claude agent's status in its record: readings folded in, the context policy applied (pure).
import { decideContext, type ContextAction } from '../../../src/claude/context-policy.js';
import { ClaudeRecord } from '../../../src/registry/session-record.js';
import type { ClaudeContext } from '../../../src/spec/schema.js';
import type { ActivityReading, ClaudeReading } from './hub.js';

/** A Claude Code that ran no hook this long after its start (or its input screen) runs none:
 * activity is Unknown, and Ready falls back to what the screen said. */
export const HOOKLESS_AFTER_MS = 30_000;

/** The record with the incarnation's activity from its hooks (pure). A capped events file makes
 * the activity Unknown: later changes would not be seen. */
export function foldActivity(prev: ClaudeRecord, a: ActivityReading): ClaudeRecord {
  const activity = a.capped ? 'Unknown' : a.activity;
  const changed = activity !== prev.activity || a.waitingFor !== prev.waitingFor;
  return {
    ...prev,
    activity,
    waitingFor: a.capped ? null : a.waitingFor,
    waitingMessage: a.waitingFor ? a.message : null,
    activitySince: changed ? (a.since ?? a.takenAt) : prev.activitySince,
    sessionStarted: prev.sessionStarted || a.sessionStarted,
    ...(a.sessionId ? { sessionId: a.sessionId } : {}),
    transcriptPath: a.transcriptPath ?? prev.transcriptPath,
    costUsd: a.costUsd ?? prev.costUsd,
    ...(a.model ? { model: a.model } : {}),
    ...(a.contextPercent !== null
      ? { contextPercent: Math.round(a.contextPercent * 10) / 10, source: 'hooks' as const }
      : {}),
  };
}

/** Whether hooks were expected and none came in time (from the start, or from the input screen
 * when start-up waited for it). */
export function hooksSilent(rec: ClaudeRecord, sinceMs: number, now: number): boolean {
  return rec.hooks !== null && !rec.sessionStarted && now - sinceMs >= HOOKLESS_AFTER_MS;
}

export const emptyClaudeRecord = (): ClaudeRecord => ClaudeRecord.parse({});

/** The record of a new incarnation: its session and activity start afresh (the context policy's
 * state is kept: a roll because the context was full does not fire again on an old reading). */
export function newIncarnation(prev: ClaudeRecord | null, hooks: ClaudeRecord['hooks']): ClaudeRecord {
  const e = emptyClaudeRecord();
  const kept = prev ? { armed: prev.armed, restartPending: prev.restartPending, compactions: prev.compactions } : {};
  return {
    ...e,
    ...kept,
    ...(prev?.model ? { model: prev.model } : {}),
    hooks,
    activity: hooks ? 'Starting' : 'Unknown',
  };
}

/** The record with a new reading: what status shows is replaced, the policy state kept. */
export function foldReading(prev: ClaudeRecord, r: ClaudeReading): ClaudeRecord {
  // The status line's figures are the session's own: a transcript reading does not replace them.
  if (prev.source === 'hooks')
    return {
      ...prev,
      ...(r.lastActivity !== undefined ? { lastActivity: r.lastActivity } : {}),
      checkedAt: r.takenAt,
    };
  const { model: _m, sessionId: _s, contextPercent: _c, lastActivity: _l, ...kept } = prev;
  return {
    ...kept,
    ...(r.model !== undefined ? { model: r.model } : {}),
    ...(r.sessionId !== undefined ? { sessionId: r.sessionId } : {}),
    ...(r.contextPercent !== undefined ? { contextPercent: Math.round(r.contextPercent * 10) / 10 } : {}),
    ...(r.lastActivity !== undefined ? { lastActivity: r.lastActivity } : {}),
    source: r.source,
    checkedAt: r.takenAt,
  };
}

/** The context policy on the folded record: what to do (once per crossing) and the record after. */
export function applyContextPolicy(
  rec: ClaudeRecord,
  context: ClaudeContext | undefined,
): { record: ClaudeRecord; action?: ContextAction; reason?: string } {
  const d = decideContext(rec.contextPercent, context, { armed: rec.armed });
  const record = { ...rec, armed: d.state.armed };
  return { record, ...(d.action ? { action: d.action } : {}), ...(d.reason ? { reason: d.reason } : {}) };
}
