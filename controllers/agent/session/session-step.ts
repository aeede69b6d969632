// The hooks reconcile calls for terminal sessions: after a start, on an incarnation in sync, and for its status.
import type { AgentRecord } from '../../../src/registry/record.js';
import type { ObservedAgent, Runtime } from '../../../src/runtime/types.js';
import type { DesiredAgent } from '../../../src/spec/load.js';
import type { AgentDeps } from '../deps.js';
import type { Plan } from '../plan.js';
import { attentionStep } from '../attention/attention-step.js';
import { afterContextRestart, claudeStep } from './claude-step.js';
import { emptyClaudeRecord } from './claude-status.js';
import { hooksOf, startupPending } from './needs.js';
import { beginStartup, startupMessage, startupSpecOf } from './startup-plan.js';
import { startupStep, type SessionOutcome } from './startup-step.js';

export type { SessionOutcome } from './startup-step.js';

/** A new incarnation was just started into `rec`: its start-up begins (once per handle), and a
 * roll that a full context asked for gets its onRestart hooks. */
export async function afterStart(d: AgentDeps, rec: AgentRecord, desired: DesiredAgent): Promise<void> {
  const s = startupSpecOf(desired.spec);
  rec.startup = s && rec.handle ? beginStartup(s, rec.handle, rec.startedAt ?? d.now()) : null;
  if (!desired.spec.claude) {
    rec.claude = null;
    return;
  }
  rec.claude ??= emptyClaudeRecord();
  await afterContextRestart(d, rec, desired);
}

/** One look at a running incarnation that is in sync: its start-up, then its Claude status. */
export async function sessionStep(
  d: AgentDeps,
  rec: AgentRecord,
  desired: DesiredAgent,
  o: ObservedAgent,
  rt: Runtime,
): Promise<SessionOutcome> {
  if (rec.handle !== o.handle || o.pending) return {};
  const saved = (): Promise<void> => d.records.save(structuredClone(rec));
  const a = await startupStep(d, rec, desired, o, rt, saved);
  if (a.plan) return a;
  const b = await claudeStep(d, rec, desired, rt);
  const c = await attentionStep(d, rec, desired);
  const waits = [a.requeueAfterMs, b.requeueAfterMs, c.requeueAfterMs].filter((v): v is number => v !== undefined);
  return waits.length > 0 ? { requeueAfterMs: Math.min(...waits) } : {};
}

/** The planner's words for what sessions caused: a restart the context policy requested is
 * ContextFull; an incarnation ended for its start-up timeout did not just vanish. */
export function withSessionReason(p: Plan, rec: AgentRecord): Plan {
  const why = rec.claude?.restartPending;
  if (p.action === 'restart' && p.reason === 'RestartRequested' && why)
    return { ...p, reason: 'ContextFull', message: why };
  const st = rec.startup;
  if (st?.outcome === 'Failed' && rec.lastExit?.handle === st.handle && p.message.startsWith('vanished'))
    return { ...p, message: p.message.replace(/^vanished/, 'start-up timed out') };
  return p;
}

/** Why a running incarnation is not Ready because of its start-up, if it is not. */
export function startupNotReady(rec: AgentRecord, desired: DesiredAgent | undefined): string | undefined {
  if (rec.startup?.handle === rec.handle && rec.startup.outcome === 'Failed')
    return 'start-up failed: ending this incarnation';
  if (startupPending(rec)) return startupMessage(desired ? startupSpecOf(desired.spec) : undefined, rec.startup!);
  // Claude Code's own word that its session started (DESIGN §10.2), unless it runs no hooks.
  if (hooksOf(rec) && !rec.claude!.sessionStarted && rec.claude!.activity !== 'Unknown')
    return "starting up: waiting for Claude Code's SessionStart hook";
  return undefined;
}
