// reconcile(name): observe (shared view) → plan (pure) → act → record status. Throws to be retried.
import type { World } from '../../src/engine/world.js';
import type { DesiredAgent } from '../../src/spec/load.js';
import { emptyRecord, type AgentRecord } from '../../src/registry/record.js';
import type { ObservedAgent } from '../../src/runtime/types.js';
import { plan, type Plan } from './plan.js';
import { conditionsFor, isReady } from './status.js';
import { nextProbeAt } from './health.js';
import { probeIfDue } from './health-step.js';
import { planInputFor } from './plan-input.js';
import { startIncarnation, stopIncarnation, StepError } from './steps.js';
import { addEvent } from './events.js';

export { StepError } from './steps.js';

export interface ReconcileResult {
  plan: Plan;
  requeueAfterMs?: number;
  /** The agent needs nothing more until something changes (for reconcile --once). */
  settled: boolean;
}

/** Waits that only a change from outside (time, a fix, a flag) ends. */
const SETTLED_WAITS = new Set(['BackOff', 'NameConflict', 'PruneBlocked']);

const VERB = { create: 'Started', recreate: 'Recreated', restart: 'Restarted' } as const;

export async function reconcileAgent(w: World, name: string): Promise<ReconcileResult> {
  const started = w.now();
  const desired = w.specs.agents.get(name);
  const existing = w.records.get(name);
  const liveRuntime = existing?.runtime ?? desired?.spec.runtime ?? 'tmux';
  const observed = (await w.observer.get(liveRuntime, w.lastAction.get(name) ?? 0)).agents.get(name);
  const runtime = w.runtime(liveRuntime);
  const rec = existing ? structuredClone(existing) : emptyRecord(name, desired?.spec.runtime ?? 'tmux', w.o.owner, started);
  const log = w.log.child({ agent: name });

  // A live incarnation of ours that the record does not know (registry lost, or the controller
  // died between a start and its record): adopt it rather than restart it.
  if (observed?.alive && observed.owner === w.o.owner && desired && observed.hash === desired.hash && rec.handle !== observed.handle) {
    rec.handle = observed.handle;
    rec.startedAt = observed.startedAt ?? started;
    rec.specHash = observed.hash;
    addEvent(rec, started, 'Normal', 'Adopted', `found running (${observed.handle}); adopted`);
  }
  await probeIfDue(w, rec, desired, observed);
  const vanishedExit = !observed && existing?.handle && existing.lastExit?.handle !== existing.handle ? await runtime.exitOf(name, existing.handle) : null;
  const p = plan(planInputFor(w, name, existing ? rec : undefined, observed, vanishedExit));

  // Nothing of ours and nothing to do: no record either.
  if (!existing && (p.reason === 'NotOwned' || p.reason === 'SpecInvalid')) return { plan: p, settled: true };

  if (p.exit) {
    rec.lastExit = { code: p.exit.code, signal: p.exit.signal, at: p.exit.at, handle: p.exit.handle };
    rec.crashCount = p.exit.crashCount;
    const ok = p.exit.code === 0 && p.exit.signal === null;
    addEvent(rec, w.now(), ok ? 'Normal' : 'Warning', observed ? (ok ? 'Completed' : 'Exited') : 'Vanished', p.message);
  }
  rec.nextStartAt = p.nextStartAt ?? null;

  let stepError: string | undefined;
  let phase = p.phase;
  let statusPlan: Plan = p;
  let requeueAfterMs = p.requeueAfterMs;
  try {
    switch (p.action) {
      case 'create':
      case 'recreate':
      case 'restart': {
        if (observed) await stopIncarnation(w, rec, desired, observed, runtime, p.action);
        await startIncarnation(w, rec, desired!);
        const verb = VERB[p.action];
        addEvent(rec, w.now(), 'Normal', verb, `${verb.toLowerCase()} (${p.reason}: ${p.message})`);
        log.info({ action: p.action, reason: p.reason, handle: rec.handle, durationMs: w.now() - started }, `${verb.toLowerCase()} agent`);
        // A tmux session runs as soon as it is created: record it as running now, so that the
        // confirming look (with a view taken after the start) finds nothing to write. A Slurm job
        // is only queued until observed running.
        if (desired!.spec.runtime === 'tmux') {
          phase = 'Running';
          statusPlan = { action: 'none', reason: 'InSync', message: '', phase: 'Running' };
        } else {
          phase = 'Pending';
        }
        requeueAfterMs = 0;
        break;
      }
      case 'stop':
        if (observed) await stopIncarnation(w, rec, desired, observed, runtime, 'stop');
        rec.handle = null;
        rec.startedAt = null;
        rec.health = null;
        addEvent(rec, w.now(), 'Normal', 'Stopped', p.message);
        log.info({ action: 'stop', reason: p.reason, durationMs: w.now() - started }, 'stopped agent');
        requeueAfterMs = 0; // confirm with a view taken after the stop
        break;
      case 'prune':
        if (observed) await stopIncarnation(w, rec, undefined, observed, runtime, 'prune');
        await w.registry.remove(name);
        w.records.delete(name);
        log.info({ action: 'prune', reason: p.reason, durationMs: w.now() - started }, p.message);
        return { plan: p, settled: true };
      case 'wait':
        if (p.reason === 'BackOff' && p.exit) log.warn({ action: 'wait', reason: p.reason }, p.message);
        break;
      case 'none':
        // A queued job is waited on with fresh views: the cached one predates its start.
        if (p.reason === 'Queued') w.needFreshView(name);
        break;
    }
  } catch (err) {
    stepError = (err as Error).message;
    rec.failures += 1;
    addEvent(rec, w.now(), 'Warning', 'StepFailed', `${p.action} failed: ${stepError}`);
    log.warn({ action: p.action, reason: p.reason, error: stepError, failures: rec.failures, durationMs: w.now() - started }, `${p.action} failed`);
  }

  recordStatus(w, rec, stepError ? p : statusPlan, p.reason === 'SpecInvalid' ? rec.phase : phase, desired, observed, liveRuntime === 'slurm', stepError);
  await save(w, rec, existing);
  if (stepError !== undefined) throw new StepError(stepError);

  // Timed re-checks: health probes of a running agent.
  const h = desired?.spec.healthCheck;
  if (h && rec.phase === 'Running' && rec.startedAt !== null && requeueAfterMs === undefined) {
    requeueAfterMs = Math.max(0, nextProbeAt(h, rec.startedAt, rec.health?.lastCheckAt ?? null) - w.now());
  }
  // Settled: nothing left to do until something changes (what reconcile --once waits for).
  const settled = (p.action === 'none' && p.reason !== 'Queued' && (rec.phase !== 'Running' || rec.ready)) || (p.action === 'wait' && SETTLED_WAITS.has(p.reason));
  return { plan: p, ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}), settled };
}

/** Phase, readiness, message, conditions and runtime details after the step (mutates `rec`). */
function recordStatus(w: World, rec: AgentRecord, p: Plan, phase: AgentRecord['phase'], desired: DesiredAgent | undefined, o: ObservedAgent | undefined, slurm: boolean, stepError: string | undefined): void {
  if (desired) {
    rec.desiredState = desired.spec.state;
    rec.source = desired.file; // follows a spec moved to another file
  }
  const ready = isReady(phase, rec, desired?.spec.healthCheck?.failureThreshold ?? null);
  rec.phase = stepError ? (phase === 'Running' ? 'Running' : rec.phase === 'Running' ? 'Unknown' : 'Pending') : phase;
  rec.ready = stepError ? false : ready;
  rec.message = stepError ? `${p.action} failed: ${stepError}` : p.message;
  const notReady = phase === 'Running' && !ready ? (rec.health?.lastMessage ? `health check failing: ${rec.health.lastMessage}` : 'waiting for the first health check to pass') : undefined;
  rec.conditions = conditionsFor({
    plan: p,
    phase: rec.phase,
    ready: rec.ready,
    ...(notReady ? { notReadyMessage: notReady } : {}),
    ...(stepError !== undefined ? { stepError } : {}),
    previous: rec.conditions,
    nowIso: new Date(w.now()).toISOString(),
  });
  if (o && slurm) {
    rec.details = { jobId: o.handle, ...(o.node ? { node: o.node } : {}), ...(o.state ? { state: o.state } : {}), ...(o.reason ? { reason: o.reason } : {}) };
  }
}

async function save(w: World, rec: AgentRecord, existing: AgentRecord | undefined): Promise<void> {
  const strip = (r: AgentRecord): string => JSON.stringify({ ...r, updatedAt: 0 });
  if (existing && strip(existing) === strip(rec)) return;
  rec.updatedAt = w.now();
  w.records.set(rec.name, rec);
  await w.registry.save(rec);
}
