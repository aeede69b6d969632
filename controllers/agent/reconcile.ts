// reconcile(name): observe (shared view) → plan (pure) → act → record status. Throws to be retried.
import { emptyRecord } from '../../src/registry/record.js';
import { budgetGate, withBudgetReason } from './attention/attention-step.js';
import type { AgentDeps } from './deps.js';
import { addEvent } from './events.js';
import { nextProbeAt } from './health.js';
import { probeIfDue } from './health-step.js';
import { planInputFor } from './plan-input.js';
import { hostOfKey, placementOf, runtimeKeyOf } from './placement.js';
import { plan, type Plan } from './plan.js';
import { recordStatus, saveRecord, unavailable } from './record-status.js';
import { afterStart, sessionStep, withSessionReason } from './session/session-step.js';
import { startIncarnation, startSuccessor, stopIncarnation, StepError } from './steps.js';

export { StepError } from './steps.js';

export interface AgentOutcome {
  plan: Plan;
  requeueAfterMs?: number;
}

const VERB = { create: 'Started', recreate: 'Recreated', restart: 'Restarted' } as const;

export async function reconcileAgent(d: AgentDeps, name: string): Promise<AgentOutcome> {
  const started = d.now();
  const desired = d.desired.get(name);
  const existing = d.records.get(name);
  const key = runtimeKeyOf(desired, existing);
  if (!d.runtimes.has(key)) {
    const host = hostOfKey(key);
    const why =
      host === undefined
        ? `the ${key} runtime is not available on this machine`
        : `Host ${host} is not in the specs with ssh`;
    return unavailable(d, name, existing, key, new Error(why));
  }
  let view;
  try {
    view = await d.views.forAgent(key, name);
  } catch (err) {
    // An unanswered observation is never "gone": nothing is started, stopped or pruned on it.
    return unavailable(d, name, existing, key, err as Error);
  }
  const observed = view.agents.get(name);
  const runtime = d.runtimes.get(key);
  const place = placementOf(desired);
  const rec = existing
    ? structuredClone(existing)
    : {
        ...emptyRecord(name, place.runtime, d.identity.owner, started),
        ...(place.host !== undefined ? { host: place.host } : {}),
      };
  const log = d.log.child({ agent: name });

  // A live incarnation of ours that the record does not know (registry lost, or the controller
  // died between a start and its record): adopt it rather than restart it.
  if (
    observed?.alive &&
    observed.owner === d.identity.owner &&
    desired &&
    observed.hash === desired.hash &&
    rec.handle !== observed.handle
  ) {
    rec.handle = observed.handle;
    rec.startedAt = observed.startedAt ?? started;
    rec.specHash = observed.hash;
    addEvent(rec, started, 'Normal', 'Adopted', `found running (${observed.handle}); adopted`);
  }
  await probeIfDue(d, rec, desired, observed);
  const vanishedExit =
    !observed && existing?.handle && existing.lastExit?.handle !== existing.handle
      ? await runtime.exitOf(name, existing.handle)
      : null;
  const budgetWait = budgetGate(d, rec, desired);
  const p = withBudgetReason(
    withSessionReason(plan(planInputFor(d, name, existing ? rec : undefined, observed, vanishedExit)), rec),
    rec,
  );

  // Nothing of ours and nothing to do: no record either.
  if (!existing && (p.reason === 'NotOwned' || p.reason === 'SpecInvalid')) return { plan: p };

  if (p.exit) {
    rec.lastExit = { code: p.exit.code, signal: p.exit.signal, at: p.exit.at, handle: p.exit.handle };
    rec.crashCount = p.exit.crashCount;
    const ok = p.exit.code === 0 && p.exit.signal === null;
    addEvent(rec, d.now(), ok ? 'Normal' : 'Warning', observed ? (ok ? 'Completed' : 'Exited') : 'Vanished', p.message);
  }
  rec.nextStartAt = p.nextStartAt ?? null;

  let stepError: string | undefined;
  let phase = p.phase;
  let statusPlan: Plan = p;
  let requeueAfterMs = budgetWait !== undefined ? Math.min(p.requeueAfterMs ?? Infinity, budgetWait) : p.requeueAfterMs;
  let outcomePlan: Plan = p;
  try {
    switch (p.action) {
      case 'create':
      case 'recreate':
      case 'restart': {
        if (observed) await stopIncarnation(d, rec, desired, observed, runtime, p.action);
        // RESTARTS counts incarnations that ended (exits, vanished sessions, requests), not spec rolls.
        await startIncarnation(d, rec, desired!, p.action === 'restart' || p.reason === 'Vanished');
        await afterStart(d, rec, desired!);
        const verb = VERB[p.action];
        addEvent(rec, d.now(), 'Normal', verb, `${verb.toLowerCase()} (${p.reason}: ${p.message})`);
        log.info(
          { action: p.action, reason: p.reason, handle: rec.handle, durationMs: d.now() - started },
          `${verb.toLowerCase()} agent`,
        );
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
        if (observed) await stopIncarnation(d, rec, desired, observed, runtime, 'stop');
        rec.handle = null;
        rec.startedAt = null;
        rec.health = null;
        addEvent(rec, d.now(), 'Normal', 'Stopped', p.message);
        log.info({ action: 'stop', reason: p.reason, durationMs: d.now() - started }, 'stopped agent');
        requeueAfterMs = 0; // confirm with a view taken after the stop
        break;
      case 'prune':
        if (observed) await stopIncarnation(d, rec, undefined, observed, runtime, 'prune');
        await d.records.remove(name);
        log.info({ action: 'prune', reason: p.reason, durationMs: d.now() - started }, p.message);
        return { plan: p };
      case 'rollover': {
        const next = await startSuccessor(d, desired!, observed!);
        addEvent(
          rec,
          d.now(),
          'Normal',
          'RolloverQueued',
          `successor ${next ?? ''} queued to take over at the time limit`.replace('  ', ' '),
        );
        log.info({ action: p.action, successor: next, durationMs: d.now() - started }, 'walltime successor queued');
        requeueAfterMs = 0;
        break;
      }
      case 'handover':
        await stopIncarnation(d, rec, desired, observed!, runtime, 'handover', true);
        addEvent(
          rec,
          d.now(),
          'Normal',
          'HandedOver',
          `${observed!.handle} stopped at its time limit; ${observed!.successor ?? 'the successor'} takes over`,
        );
        log.info(
          { action: p.action, successor: observed!.successor, durationMs: d.now() - started },
          'handed over to the walltime successor',
        );
        requeueAfterMs = 0;
        break;
      case 'wait':
        if (p.reason === 'BackOff' && p.exit) log.warn({ action: 'wait', reason: p.reason }, p.message);
        break;
      case 'none':
        // A queued job is waited on with fresh views: the cached one predates its start.
        if (p.reason === 'Queued' || p.reason === 'AllocationNotRunning') d.views.needFresh(name);
        // A running incarnation in sync: its terminal (start-up prompts and commands, Claude context).
        if (p.reason === 'InSync' && observed && desired) {
          const s = await sessionStep(d, rec, desired, observed, runtime);
          if (s.plan) [statusPlan, phase, outcomePlan] = [s.plan, s.plan.phase, s.plan];
          if (s.requeueAfterMs !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, s.requeueAfterMs);
        }
        break;
    }
  } catch (err) {
    stepError = (err as Error).message;
    rec.failures += 1;
    addEvent(rec, d.now(), 'Warning', 'StepFailed', `${p.action} failed: ${stepError}`);
    log.warn(
      { action: p.action, reason: p.reason, error: stepError, failures: rec.failures, durationMs: d.now() - started },
      `${p.action} failed`,
    );
  }

  recordStatus(
    d,
    rec,
    stepError ? p : statusPlan,
    p.reason === 'SpecInvalid' ? rec.phase : phase,
    desired,
    observed,
    stepError,
  );
  await saveRecord(d, rec, existing);
  if (stepError !== undefined) throw new StepError(stepError);

  // Timed re-checks: health probes of a running agent.
  const h = desired?.spec.healthCheck;
  if (h && rec.phase === 'Running' && rec.startedAt !== null) {
    requeueAfterMs = Math.min(
      requeueAfterMs ?? Infinity,
      Math.max(0, nextProbeAt(h, rec.startedAt, rec.health?.lastCheckAt ?? null) - d.now()),
    );
  }
  return { plan: outcomePlan, ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}) };
}
