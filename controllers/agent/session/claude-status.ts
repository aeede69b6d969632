// A Claude agent's status in its record: readings folded in, the context policy applied (pure).
import { decideContext, type ContextAction } from '../../../src/claude/context-policy.js';
import { ClaudeRecord } from '../../../src/registry/session-record.js';
import type { ClaudeContext } from '../../../src/spec/schema.js';
import type { ClaudeReading } from './hub.js';

export const emptyClaudeRecord = (): ClaudeRecord => ClaudeRecord.parse({});

/** The record with a new reading: what status shows is replaced, the policy state kept. */
export function foldReading(prev: ClaudeRecord, r: ClaudeReading): ClaudeRecord {
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
