// act: one small handler per planned action; each does the action's effects on the working record.
import type { Phase } from '../../src/registry/record.js';
import type { DesiredAgent } from '../../src/spec/load.js';
import type { ObservedAgent } from '../../src/runtime/types.js';
import type { AgentDeps } from './deps.js';
import { addEvent } from './events.js';
import { TerminalError } from '../../src/engine/reconciler.js';
import type { Planned } from './plan-agent.js';
import type { Action, Plan } from './plan.js';
import { afterStart, sessionStep } from './session/session-step.js';
import { startIncarnation, startSuccessor, stopIncarnation } from './steps.js';
import { keptPlan, pruneWorkspace } from './workspace-prune.js';

/** What the action leaves for the record: the phase and plan its status shows, the plan the
 * outcome reports, when to look again; `pruned`: the record is gone, nothing to write. */
export interface Acted {
  phase: Phase;
  statusPlan: Plan;
  outcomePlan: Plan;
  requeueAfterMs?: number;
  pruned?: boolean;
}

type Handler = (d: AgentDeps, a: Planned) => Promise<Acted>;

const VERB = { create: 'Started', recreate: 'Recreated', restart: 'Restarted' } as const;

/** The plan's own phase and requeue, unchanged. */
function asPlanned(a: Planned, requeueAfterMs = a.plan.requeueAfterMs): Acted {
  return {
    phase: a.plan.phase,
    statusPlan: a.plan,
    outcomePlan: a.plan,
    ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}),
  };
}

/** The planner only plans these actions with a desired spec (or a live incarnation): anything else
 * is a bug that retrying cannot fix. */
function required<T>(v: T | undefined, what: string, action: Action): T {
  if (v === undefined) throw new TerminalError(`${action} planned without ${what}`);
  return v;
}

const log = (d: AgentDeps, a: Planned) => d.log.child({ agent: a.name });
const took = (d: AgentDeps, a: Planned): number => d.now() - a.started;

const start: Handler = async (d, a) => {
  const { rec, observed, plan: p } = a;
  const action = p.action as keyof typeof VERB;
  const desired: DesiredAgent = required(a.desired, 'a spec', action);
  if (observed) await stopIncarnation(d, rec, desired, observed, a.runtime, action);
  // RESTARTS counts incarnations that ended (exits, vanished sessions, requests), not spec rolls.
  await startIncarnation(d, rec, desired, action === 'restart' || p.reason === 'Vanished');
  await afterStart(d, rec, desired);
  const verb = VERB[action];
  addEvent(rec, d.now(), 'Normal', verb, `${verb.toLowerCase()} (${p.reason}: ${p.message})`);
  log(d, a).info(
    { action, reason: p.reason, handle: rec.handle, durationMs: took(d, a) },
    `${verb.toLowerCase()} agent`,
  );
  // A session that runs as soon as it is created is recorded as running now, so that the
  // confirming look (with a view taken after the start) finds nothing to write. A Slurm job is
  // only queued until observed running.
  if (a.runtime.capabilities.startsRunning) {
    const inSync: Plan = { action: 'none', reason: 'InSync', message: '', phase: 'Running' };
    return { phase: 'Running', statusPlan: inSync, outcomePlan: p, requeueAfterMs: 0 };
  }
  return { phase: 'Pending', statusPlan: p, outcomePlan: p, requeueAfterMs: 0 };
};

const stop: Handler = async (d, a) => {
  const { rec, observed, plan: p } = a;
  if (observed) await stopIncarnation(d, rec, a.desired, observed, a.runtime, 'stop');
  rec.handle = null;
  rec.startedAt = null;
  rec.health = null;
  addEvent(rec, d.now(), 'Normal', 'Stopped', p.message);
  log(d, a).info({ action: 'stop', reason: p.reason, durationMs: took(d, a) }, 'stopped agent');
  return asPlanned(a, 0); // confirm with a view taken after the stop
};

const prune: Handler = async (d, a) => {
  const { rec, observed, plan: p } = a;
  if (observed) await stopIncarnation(d, rec, undefined, observed, a.runtime, 'prune');
  // A worktree with uncommitted work is kept, and so is the record that remembers it.
  const kept = await pruneWorkspace(d, rec);
  if (kept !== undefined) {
    const status = keptPlan(rec, d.now(), kept);
    return { phase: 'Stopped', statusPlan: status, outcomePlan: p };
  }
  await d.records.remove(a.name);
  log(d, a).info({ action: 'prune', reason: p.reason, durationMs: took(d, a) }, p.message);
  return { ...asPlanned(a), pruned: true };
};

const rollover: Handler = async (d, a) => {
  const desired = required(a.desired, 'a spec', 'rollover');
  const next = await startSuccessor(d, desired, required(a.observed, 'an incarnation', 'rollover'));
  const message = `successor ${next ?? ''} queued to take over at the time limit`.replace('  ', ' ');
  addEvent(a.rec, d.now(), 'Normal', 'RolloverQueued', message);
  log(d, a).info({ action: 'rollover', successor: next, durationMs: took(d, a) }, 'walltime successor queued');
  return asPlanned(a, 0);
};

const handover: Handler = async (d, a) => {
  const o: ObservedAgent = required(a.observed, 'an incarnation', 'handover');
  await stopIncarnation(d, a.rec, a.desired, o, a.runtime, 'handover', true);
  const message = `${o.handle} stopped at its time limit; ${o.successor ?? 'the successor'} takes over`;
  addEvent(a.rec, d.now(), 'Normal', 'HandedOver', message);
  log(d, a).info(
    { action: 'handover', successor: o.successor, durationMs: took(d, a) },
    'handed over to the walltime successor',
  );
  return asPlanned(a, 0);
};

/** backoff.maxRetries reached: stop what still runs and start nothing until the count starts over. */
const end: Handler = async (d, a) => {
  const { rec, observed, plan: p } = a;
  if (observed?.alive) {
    await stopIncarnation(d, rec, a.desired, observed, a.runtime, 'retry limit');
    rec.handle = null;
    rec.startedAt = null;
    rec.health = null;
  }
  // A context restart it ended is not carried out later as if someone had asked for it.
  rec.restartRequestedAt = null;
  if (rec.claude?.restartPending) rec.claude = { ...rec.claude, restartPending: null };
  addEvent(rec, d.now(), 'Warning', 'RetryLimit', p.message);
  log(d, a).warn({ action: 'end', reason: p.reason, durationMs: took(d, a) }, p.message);
  return asPlanned(a, observed?.alive ? 0 : undefined);
};

const wait: Handler = (d, a) => {
  const p = a.plan;
  if (p.reason === 'BackOff' && p.exit) log(d, a).warn({ action: 'wait', reason: p.reason }, p.message);
  return Promise.resolve(asPlanned(a));
};

const none: Handler = async (d, a) => {
  const { plan: p, observed, desired } = a;
  // A queued job is waited on with fresh views: the cached one predates its start.
  if (p.reason === 'Queued' || p.reason === 'AllocationNotRunning') d.views.needFresh(a.name);
  // A running incarnation in sync: its terminal (start-up prompts and commands, Claude context).
  if (p.reason !== 'InSync' || !observed || !desired) return asPlanned(a);
  const s = await sessionStep(d, a.rec, desired, observed, a.runtime);
  const acted = s.plan ? { phase: s.plan.phase, statusPlan: s.plan, outcomePlan: s.plan } : asPlanned(a);
  if (s.requeueAfterMs === undefined) return acted;
  return { ...acted, requeueAfterMs: Math.min(p.requeueAfterMs ?? Infinity, s.requeueAfterMs) };
};

const HANDLERS: Record<Action, Handler> = {
  create: start,
  recreate: start,
  restart: start,
  stop,
  prune,
  rollover,
  handover,
  wait,
  none,
  end,
};

/** Carries out the planned action; a failure of its effects is thrown to the caller. */
export function act(d: AgentDeps, a: Planned): Promise<Acted> {
  return HANDLERS[a.plan.action](d, a);
}
