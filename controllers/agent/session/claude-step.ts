// A running Claude agent's status and context policy: fold in the latest reading; compact or roll it at the trigger.
import { key, typeLine } from '../../../src/claude/keys.js';
import type { AgentRecord } from '../../../src/registry/record.js';
import type { Runtime } from '../../../src/runtime/types.js';
import type { DesiredAgent } from '../../../src/spec/load.js';
import type { AgentDeps } from '../deps.js';
import { addEvent } from '../events.js';
import { runHooks } from '../hook-steps.js';
import { hookTargetOf } from './agent-env.js';
import {
  applyContextPolicy,
  emptyClaudeRecord,
  foldActivity,
  foldReading,
  HOOKLESS_AFTER_MS,
  hooksSilent,
} from './claude-status.js';
import { hooksOf, startupPending } from './needs.js';
import type { SessionOutcome } from './startup-step.js';
import { typeKeys } from './typing.js';

/** Mutates `rec`. Acts only on a reading newer than the last one folded in, and only once the
 * incarnation's start-up is over (a prompt on the pane is not a context to compact). */
export async function claudeStep(
  d: AgentDeps,
  rec: AgentRecord,
  desired: DesiredAgent,
  rt: Runtime,
): Promise<SessionOutcome> {
  const c = desired.spec.claude;
  if (!c) {
    rec.claude = null;
    return {};
  }
  const prev = rec.claude ?? emptyClaudeRecord();
  let folded = prev;
  const hooks = hooksOf(rec);
  const act = hooks ? d.sessions?.activity(rec.name) : undefined;
  if (act) folded = foldActivity(folded, act);
  // No hook yet, long after the start (or the input screen): a Claude Code that runs none.
  const now0 = d.now();
  const silentSince =
    rec.startup?.handle === rec.handle ? (rec.startup.readyAt ?? rec.startup.startedAt) : rec.startedAt;
  let wait: number | undefined;
  if (hooks && !folded.sessionStarted && silentSince !== null) {
    if (hooksSilent(folded, silentSince, now0)) {
      if (folded.activity !== 'Unknown') folded = { ...folded, activity: 'Unknown', activitySince: now0 };
    } else wait = silentSince + HOOKLESS_AFTER_MS - now0;
  }
  const reading = d.sessions?.reading(rec.name);
  const fresh = reading !== undefined && reading.takenAt > (prev.checkedAt ?? 0);
  if (fresh) folded = foldReading(folded, reading);
  const newFigure = fresh || folded.contextPercent !== prev.contextPercent;
  if (!newFigure || startupPending(rec) || !c.context) {
    rec.claude = folded;
    return wait !== undefined ? { requeueAfterMs: Math.max(0, wait) } : {};
  }
  const { record, action, reason } = applyContextPolicy(folded, c.context);
  rec.claude = record;
  const now = d.now();
  if (action === 'compact') {
    try {
      await typeKeys(rt, rec.name, [key('Escape'), ...typeLine('/compact')]);
    } catch (err) {
      addEvent(rec, now, 'Warning', 'KeysFailed', `${reason}: cannot type /compact: ${(err as Error).message}`);
      return {};
    }
    rec.claude = { ...record, compactions: record.compactions + 1 };
    addEvent(rec, now, 'Normal', 'ContextCompacted', `${reason}: compacting (Escape, /compact, Enter)`);
    await runHooks(
      d,
      rec,
      'onCompact',
      `${rec.handle}:${rec.claude.compactions}`,
      await hookTargetOf(d, desired),
      false,
    );
  } else if (action === 'restart') {
    // The roll itself is the planner's: a restart request it carries out as any other.
    rec.restartRequestedAt = now;
    rec.claude = { ...record, restartPending: reason ?? 'context full' };
    addEvent(rec, now, 'Normal', 'ContextFull', `${reason}: restarting the agent`);
    return { requeueAfterMs: 0 };
  }
  return {};
}

/** After a roll that a full context asked for: the onRestart hooks, once, for the new incarnation. */
export async function afterContextRestart(d: AgentDeps, rec: AgentRecord, desired: DesiredAgent): Promise<void> {
  if (!rec.claude?.restartPending || !rec.handle) return;
  rec.claude = { ...rec.claude, restartPending: null };
  await runHooks(d, rec, 'onRestart', rec.handle, await hookTargetOf(d, desired), false);
}
