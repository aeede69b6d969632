// reconcile(name): plan (planAgent: one view, pure planner) → act (one handler per action) → record.
import type { AgentDeps } from './deps.js';
import { act, type Acted } from './act.js';
import { addEvent } from './events.js';
import { nextProbeAt } from './health.js';
import { placementSteps } from './move-step.js';
import { planAgent, type Planned } from './plan-agent.js';
import type { Plan } from './plan.js';
import { recordStatus, saveRecord, unavailable } from './record-status.js';
import { StepError } from './steps.js';
import { TerminalError } from '../../src/engine/reconciler.js';

export { StepError } from './steps.js';

export interface AgentOutcome {
  plan: Plan;
  requeueAfterMs?: number;
}

/** `signal` aborts at the reconcile's deadline or when the controller stops: it is checked before
 * each step with effects, so a plan made too late (the world may have moved) is not acted on. */
export async function reconcileAgent(d: AgentDeps, name: string, signal?: AbortSignal): Promise<AgentOutcome> {
  signal?.throwIfAborted();
  // A changed placement (or a fenced copy whose Host answers again) is dealt with first.
  await placementSteps(d, name);
  signal?.throwIfAborted();
  const a = await planAgent(d, name, (key) => d.views.forAgent(key, name));
  if (a.kind === 'unavailable') return unavailable(d, name, a.existing, a.key, a.error);
  // Nothing of ours and nothing to do: no record either.
  if (!a.existing && (a.plan.reason === 'NotOwned' || a.plan.reason === 'SpecInvalid')) return { plan: a.plan };
  signal?.throwIfAborted();
  noteExit(d, a);
  let acted: Acted;
  try {
    acted = await act(d, a);
  } catch (err) {
    await recordFailure(d, a, err);
    // What retrying cannot fix goes back as it is: the loop reports it and does not back off.
    if (err instanceof TerminalError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new StepError(message, { cause: err });
  }
  if (acted.pruned) return { plan: a.plan };
  return record(d, a, acted);
}

/** An exit the planner found is written into the record with its event (mutates `a.rec`). */
function noteExit(d: AgentDeps, a: Planned): void {
  const { rec, plan: p } = a;
  if (p.exit) {
    rec.lastExit = { code: p.exit.code, signal: p.exit.signal, at: p.exit.at, handle: p.exit.handle };
    rec.crashCount = p.exit.crashCount;
    const ok = p.exit.code === 0 && p.exit.signal === null;
    const reason = a.observed ? (ok ? 'Completed' : 'Exited') : 'Vanished';
    addEvent(rec, d.now(), ok ? 'Normal' : 'Warning', reason, p.message);
  }
  if (p.crashCount !== undefined) rec.crashCount = p.crashCount;
  rec.nextStartAt = p.nextStartAt ?? null;
}

/** The action failed: the record says so (and counts it) before the error goes back to be retried. */
async function recordFailure(d: AgentDeps, a: Planned, err: unknown): Promise<void> {
  const { rec, plan: p } = a;
  const stepError = err instanceof Error ? err.message : String(err);
  rec.failures += 1;
  addEvent(rec, d.now(), 'Warning', 'StepFailed', `${p.action} failed: ${stepError}`);
  d.log
    .child({ agent: a.name })
    .warn(
      { action: p.action, reason: p.reason, error: stepError, failures: rec.failures, durationMs: d.now() - a.started },
      `${p.action} failed`,
    );
  recordStatus(d, rec, p, p.reason === 'SpecInvalid' ? rec.phase : p.phase, a.desired, a.observed, stepError);
  await saveRecord(d, rec, a.existing);
}

/** Status into the record, the record saved, and when to look again (health probes of a running agent). */
async function record(d: AgentDeps, a: Planned, acted: Acted): Promise<AgentOutcome> {
  const { rec, plan: p } = a;
  const phase = p.reason === 'SpecInvalid' ? rec.phase : acted.phase;
  recordStatus(d, rec, acted.statusPlan, phase, a.desired, a.observed, undefined);
  await saveRecord(d, rec, a.existing);
  let requeueAfterMs = acted.requeueAfterMs;
  const h = a.desired?.spec.healthCheck;
  if (h && rec.phase === 'Running' && rec.startedAt !== null) {
    const due = Math.max(0, nextProbeAt(h, rec.startedAt, rec.health?.lastCheckAt ?? null) - d.now());
    requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, due);
  }
  return { plan: acted.outcomePlan, ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}) };
}
