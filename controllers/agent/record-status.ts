// Folds a step's outcome into the record (phase, readiness, message, conditions) and saves it.
import type { DesiredAgent } from '../../src/spec/load.js';
import { withEvent, type AgentRecord, type Phase } from '../../src/registry/record.js';
import type { ObservedAgent } from '../../src/runtime/types.js';
import type { AgentDeps } from './deps.js';
import { fenceNote } from './move.js';
import type { Plan } from './plan.js';
import { startupNotReady } from './session/session-step.js';
import { conditionsFor, isReady } from './status.js';
import { hostReady, unavailablePlan, withHostReady } from './hosts/host-condition.js';

/** Conditions with the agent's HostReady when it is driven over SSH. */
function withHost(
  d: AgentDeps,
  conditions: AgentRecord['conditions'],
  previous: AgentRecord['conditions'],
  host: string | undefined,
): AgentRecord['conditions'] {
  const wanted =
    host === undefined ? undefined : hostReady(host, d.hosts?.names().includes(host) ?? false, d.hosts?.stateOf(host));
  return withHostReady(conditions, previous, wanted, new Date(d.now()).toISOString());
}

/** Phase, readiness, message, conditions and runtime details after the step (mutates `rec`). */
export function recordStatus(
  d: AgentDeps,
  rec: AgentRecord,
  p: Plan,
  phase: Phase,
  desired: DesiredAgent | undefined,
  o: ObservedAgent | undefined,
  stepError: string | undefined,
): void {
  if (desired) {
    rec.desiredState = desired.spec.state;
    rec.source = desired.file; // follows a spec moved to another file
  }
  // A suspended agent that runs is as ready as it was: suspension stops reconciling, not the agent.
  // Start-up (prompts, ready pattern, commands) of a running incarnation holds Ready back.
  const starting = phase === 'Running' ? startupNotReady(rec, desired) : undefined;
  const ready =
    phase === 'Suspended'
      ? o?.alive === true && !o.pending && rec.handle === o.handle
      : starting === undefined && isReady(phase, rec, desired?.spec.healthCheck?.failureThreshold ?? null);
  rec.phase = stepError ? (phase === 'Running' ? 'Running' : rec.phase === 'Running' ? 'Unknown' : 'Pending') : phase;
  rec.ready = stepError ? false : ready;
  rec.message = stepError ? `${p.action} failed: ${stepError}` : p.message || (starting ?? '');
  const notReady =
    phase === 'Running' && !ready
      ? (starting ??
        (rec.health?.lastMessage
          ? `health check failing: ${rec.health.lastMessage}`
          : 'waiting for the first health check to pass'))
      : undefined;
  const previous = rec.conditions;
  rec.conditions = conditionsFor({
    plan: p,
    phase: rec.phase,
    ready: rec.ready,
    ...(notReady ? { notReadyMessage: notReady } : {}),
    ...(starting !== undefined && !stepError ? { notReadyReason: 'StartingUp' } : {}),
    ...(stepError !== undefined ? { stepError } : {}),
    previous: rec.conditions,
    nowIso: new Date(d.now()).toISOString(),
  });
  rec.conditions = withHost(d, rec.conditions, previous, rec.host ?? desired?.remoteHost);
  withFences(d, rec, previous);
  if (o && o.runtime === 'slurm') {
    rec.details = {
      jobId: o.handle,
      ...(o.node ? { node: o.node } : {}),
      ...(o.state ? { state: o.state } : {}),
      ...(o.reason ? { reason: o.reason } : {}),
    };
  }
}

/** A copy fenced on a Host that did not answer makes the agent Degraded and says where (mutates `rec`). */
function withFences(d: AgentDeps, rec: AgentRecord, previous: AgentRecord['conditions']): void {
  if ((rec.fenced ?? []).length === 0) return;
  const note = fenceNote(rec, d.identity.host) ?? '';
  rec.message = rec.message ? `${rec.message}; ${note}` : note;
  const was = previous.find((c) => c.type === 'Degraded');
  const since = was?.status === 'True' ? was.lastTransitionTime : new Date(d.now()).toISOString();
  const degraded = { type: 'Degraded' as const, status: 'True' as const, reason: 'Fenced', message: note };
  rec.conditions = rec.conditions.map((c) => (c.type === 'Degraded' ? { ...degraded, lastTransitionTime: since } : c));
}

/** Saves the record when it changed (or its last write failed); a failed write throws. */
export async function saveRecord(d: AgentDeps, rec: AgentRecord, existing: AgentRecord | undefined): Promise<void> {
  const strip = (r: AgentRecord): string => JSON.stringify({ ...r, updatedAt: 0 });
  if (existing && !d.records.unsaved(rec.name) && strip(existing) === strip(rec)) return;
  rec.updatedAt = d.now();
  await d.records.save(rec);
}

/** How often an agent whose runtime cannot be observed is looked at again. */
export const UNAVAILABLE_RETRY_MS = 5000;

/** The agent's runtime did not answer (or is missing): the record says Unknown, nothing else
 * changes, and the agent is looked at again soon. */
export async function unavailable(
  d: AgentDeps,
  _name: string,
  existing: AgentRecord | undefined,
  key: string,
  err: Error,
): Promise<{ plan: Plan; requeueAfterMs: number }> {
  const plan = unavailablePlan(key, err);
  if (existing) {
    const rec = structuredClone(existing);
    rec.phase = 'Unknown';
    rec.ready = false;
    rec.message = plan.message;
    rec.conditions = conditionsFor({
      plan,
      phase: 'Unknown',
      ready: false,
      previous: rec.conditions,
      nowIso: new Date(d.now()).toISOString(),
    });
    rec.conditions = withHost(d, rec.conditions, existing.conditions, rec.host);
    if (existing.phase !== 'Unknown')
      rec.events = withEvent(rec.events, {
        time: new Date(d.now()).toISOString(),
        type: 'Warning',
        reason: plan.reason,
        message: plan.reason === 'HostUnreachable' ? `${err.message}; ${plan.message}` : plan.message,
      });
    await saveRecord(d, rec, existing);
  }
  return { plan, requeueAfterMs: UNAVAILABLE_RETRY_MS };
}
