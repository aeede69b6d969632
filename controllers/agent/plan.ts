// The planner: (desired, observed, record, now) → one action, the resulting phase, when to look again (pure).
import type { DesiredAgent } from '../../src/spec/load.js';
import type { AgentRecord, Phase } from '../../src/registry/record.js';
import type { ExitInfo, ObservedAgent } from '../../src/runtime/types.js';
import type { RestartPolicy } from '../../src/spec/schema.js';
import { rolloverStep } from '../../src/runtime/slurm/rollover.js';
import type { PlanReason } from './reason.js';
import { nextCrashCount } from './backoff.js';
import { gateAfter, gateLive, limitText, waitText, type Gate } from './restart-gate.js';

/** `rollover` queues a successor of the running incarnation; `handover` stops the running one
 * (with its stop hooks) so that the successor takes over (slurm.walltimeRollover). */
export type Action =
  | 'create'
  | 'recreate'
  | 'restart'
  | 'stop'
  | 'prune'
  | 'wait'
  | 'none'
  | 'rollover'
  | 'handover'
  /** backoff.maxRetries reached: a live incarnation is stopped, none is started (phase Failed). */
  | 'end';

export interface PlanInput {
  name: string;
  /** The effective spec placed on this host; undefined when the spec is gone or placed elsewhere. */
  desired: DesiredAgent | undefined;
  /** Set when the agent's spec file failed to load: nothing may change for it. */
  specInvalid?: { file: string; message: string };
  /** Set when the agent's spec now places it on another host. */
  placedOn?: string;
  observed: ObservedAgent | undefined;
  /** Exit of the recorded incarnation when it is no longer observed (looked up by the caller). */
  vanishedExit?: ExitInfo | null;
  record: AgentRecord | undefined;
  owner: string;
  now: number;
  /** Dependencies that are not Ready yet (empty when all are). */
  dependenciesNotReady: string[];
  /** Agents depending on this one that are still running while this one is to stop. */
  dependentsRunning: string[];
  /** Why prunes are refused right now (mass-prune guard, invalid files), if they are. */
  pruneBlocked?: string;
}

export interface NewExit extends ExitInfo {
  handle: string | null;
  crashCount: number;
}

export interface Plan {
  action: Action;
  /** One CamelCase word. */
  reason: PlanReason;
  message: string;
  phase: Phase;
  /** Milliseconds until this agent should be looked at again. */
  requeueAfterMs?: number;
  /** An exit seen for the first time: the caller records it (count, time, code). */
  exit?: NewExit;
  /** Epoch ms before which no restart happens (set while backing off). */
  nextStartAt?: number;
  /** Restarts in a row for the record to keep (a live restart counts one more; a spec change
   * or `agentctl restart` starts over at 0). */
  crashCount?: number;
}

const restartAfter = (policy: RestartPolicy, e: ExitInfo): boolean =>
  policy === 'Always' || (policy === 'OnFailure' && (e.code !== 0 || e.signal !== null));

export function describeExit(e: ExitInfo): string {
  if (e.signal) return `killed by ${e.signal}${e.code !== null ? ` (exit code ${e.code})` : ''}`;
  if (e.code === null) return 'exited (status unknown)';
  return `exited with code ${e.code}`;
}

function isOwned(input: PlanInput): boolean {
  if (input.record) return true;
  return input.observed !== undefined && input.observed.owner === input.owner;
}

/** The observed object belongs to someone else: same name, not our mark, not our recorded handle. */
function isForeign(input: PlanInput): boolean {
  const o = input.observed;
  if (!o) return false;
  if (o.owner === input.owner) return false;
  return !(input.record?.handle && input.record.handle === o.handle);
}

export function plan(input: PlanInput): Plan {
  const { desired, observed: o, record: r, now } = input;

  if (input.specInvalid) {
    return {
      action: 'none',
      reason: 'SpecInvalid',
      message: `spec file ${input.specInvalid.file} is invalid; keeping the last applied state (${input.specInvalid.message})`,
      phase: r?.phase ?? (o?.alive ? 'Running' : 'Unknown'),
    };
  }

  if (!desired) {
    if (!isOwned(input) || isForeign(input))
      return { action: 'none', reason: 'NotOwned', message: 'not managed by this controller', phase: 'Unknown' };
    const reason = input.placedOn ? 'PlacedElsewhere' : 'SpecRemoved';
    const why = input.placedOn ? `spec now places it on host ${input.placedOn}` : 'spec removed';
    if (input.pruneBlocked) {
      return {
        action: 'wait',
        reason: 'PruneBlocked',
        message: `${why}, but prune refused: ${input.pruneBlocked}`,
        phase: r?.phase ?? 'Unknown',
      };
    }
    if (o && input.dependentsRunning.length > 0) {
      return {
        action: 'wait',
        reason: 'DependentsStopping',
        message: `${why}; waiting for ${input.dependentsRunning.join(', ')} to stop first`,
        phase: r?.phase ?? 'Running',
        requeueAfterMs: 1000,
      };
    }
    return {
      action: 'prune',
      reason,
      message: o ? `${why}: stopping and forgetting it` : `${why}: forgetting it`,
      phase: 'Stopped',
    };
  }

  const spec = desired.spec;
  if (o && isForeign(input)) {
    return {
      action: 'wait',
      reason: 'NameConflict',
      message: `a ${o.runtime} ${o.runtime === 'tmux' ? 'session' : 'job'} named "${input.name}" exists but is not ours; leaving it alone`,
      phase: 'Pending',
      requeueAfterMs: 30_000,
    };
  }

  if (r?.suspended) {
    if (r.suspendStop && o?.alive)
      return { action: 'stop', reason: 'Suspended', message: 'suspended with --stop', phase: 'Suspended' };
    return {
      action: 'none',
      reason: 'Suspended',
      message: 'reconciling suspended (agentctl resume to continue)',
      phase: 'Suspended',
    };
  }

  if (spec.state === 'Stopped') {
    if (!o) return { action: 'none', reason: 'Stopped', message: 'state: Stopped', phase: 'Stopped' };
    if (input.dependentsRunning.length > 0) {
      return {
        action: 'wait',
        reason: 'DependentsStopping',
        message: `waiting for ${input.dependentsRunning.join(', ')} to stop first`,
        phase: o.alive ? 'Running' : 'Stopped',
        requeueAfterMs: 1000,
      };
    }
    return { action: 'stop', reason: 'StateStopped', message: 'state: Stopped', phase: 'Stopped' };
  }

  const ended = retryLimitReached(input);
  if (ended) return ended;

  const depsWait = (): Plan | undefined =>
    input.dependenciesNotReady.length > 0
      ? {
          action: 'wait',
          reason: 'DependencyNotReady',
          message: `waiting for ${input.dependenciesNotReady.join(', ')} to be Ready`,
          phase: 'Pending',
          requeueAfterMs: 2000,
        }
      : undefined;

  // Alive: keep it, roll it on a spec change, or restart it on request or failing health.
  if (o?.alive) {
    if (o.hash !== desired.hash) {
      return {
        action: 'recreate',
        reason: 'SpecChanged',
        message: `spec changed (${short(o.hash)} → ${short(desired.hash)})`,
        phase: 'Pending',
        crashCount: 0,
      };
    }
    if (r?.restartRequestedAt != null && r.restartRequestedAt > (r.startedAt ?? 0)) {
      // A full context asks for its restart as a request, but it is a restart like any other.
      const why = r.claude?.restartPending;
      if (why) return liveRestart(input, 'ContextFull', why);
      return {
        action: 'restart',
        reason: 'RestartRequested',
        message: 'restart requested',
        phase: 'Pending',
        crashCount: 0,
      };
    }
    const h = spec.healthCheck;
    if (h && r?.health && r.health.handle === o.handle && r.health.consecutiveFailures >= h.failureThreshold) {
      const why = `health check failed ${r.health.consecutiveFailures} times in a row: ${r.health.lastMessage}`;
      return liveRestart(input, 'Unhealthy', why);
    }
    if (o.pending) {
      // slurm.allocation: the runtime starts the agent once its allocation runs.
      if (o.reason === 'AllocationNotRunning')
        return {
          action: 'none',
          reason: 'AllocationNotRunning',
          message: 'waiting for its Slurm allocation to run',
          phase: 'Pending',
          requeueAfterMs: 5000,
        };
      // Look often right after a submit (most jobs start within a second), then less.
      const fresh = r?.startedAt != null && now - r.startedAt < 10_000;
      return {
        action: 'none',
        reason: 'Queued',
        message: `queued${o.reason ? ` (${o.reason})` : ''}`,
        phase: 'Pending',
        requeueAfterMs: fresh ? 1000 : 5000,
      };
    }
    const roll = rolloverStep(o, spec.slurm, spec.stopGracePeriodSeconds, now);
    if (roll?.action === 'submit')
      return {
        action: 'rollover',
        reason: 'WalltimeRollover',
        message: `time limit at ${new Date(o.endsAt!).toISOString()}: queueing the successor`,
        phase: 'Running',
      };
    if (roll?.action === 'handover')
      return {
        action: 'handover',
        reason: 'WalltimeRollover',
        message: `time limit at ${new Date(o.endsAt!).toISOString()}: handing over to ${o.successor}`,
        phase: 'Running',
      };
    return {
      action: 'none',
      reason: 'InSync',
      message: '',
      phase: 'Running',
      ...(roll ? { requeueAfterMs: Math.max(0, roll.atMs - now) } : {}),
    };
  }

  // Never started by us (or forgotten): create it.
  const recorded = r?.handle ?? null;
  if (!o && (recorded === null || r === undefined)) {
    const fresh = r && r.crashCount > 0 ? { crashCount: 0 } : {};
    return depsWait() ?? { action: 'create', reason: 'NotRunning', message: 'not running', phase: 'Pending', ...fresh };
  }

  // It exited (dead session, finished job) or vanished (session killed, job gone).
  const handle = o?.handle ?? recorded;
  let exit: ExitInfo;
  let newExit: NewExit | undefined;
  if (r?.lastExit && r.lastExit.handle === handle) {
    exit = r.lastExit;
  } else {
    exit = o?.exit ?? input.vanishedExit ?? { code: null, signal: null, at: now };
    const crashCount = nextCrashCount(r?.crashCount ?? 0, r?.startedAt ?? o?.startedAt ?? null, exit.at, spec.backoff);
    newExit = { ...exit, handle, crashCount };
  }
  const crashCount = newExit?.crashCount ?? r?.crashCount ?? 1;
  const withExit = (p: Plan): Plan => (newExit ? { ...p, exit: newExit } : p);
  const what = o ? describeExit(exit) : `vanished${input.vanishedExit ? ` (${describeExit(input.vanishedExit)})` : ''}`;

  // Vanished without a recorded exit (session killed by hand, tmux server gone): that is drift,
  // not a crash, so it is repaired at once and does not count towards the crash-loop backoff.
  if (!o && newExit && input.vanishedExit == null && spec.restartPolicy !== 'Never') {
    const repair = { ...newExit, crashCount: r?.crashCount ?? 0 };
    return (
      depsWait() ?? {
        action: 'create',
        reason: 'Vanished',
        message: `${what}; starting it again`,
        phase: 'Pending',
        exit: repair,
      }
    );
  }
  if ((o?.hash ?? r?.specHash) !== desired.hash) {
    return withExit(
      depsWait() ?? {
        action: o ? 'recreate' : 'create',
        reason: 'SpecChanged',
        message: `${what}; spec changed since, starting the new spec`,
        phase: 'Pending',
        crashCount: 0,
      },
    );
  }
  if (r?.restartRequestedAt != null && r.restartRequestedAt > exit.at) {
    return withExit(
      depsWait() ?? {
        action: 'restart',
        reason: 'RestartRequested',
        message: `${what}; restart requested`,
        phase: 'Pending',
        crashCount: 0,
      },
    );
  }
  if (!restartAfter(spec.restartPolicy, exit)) {
    const ok = exit.code === 0 && exit.signal === null;
    return withExit({
      action: 'none',
      reason: ok ? 'Completed' : 'Exited',
      message: `${what}; restartPolicy ${spec.restartPolicy}`,
      phase: ok ? 'Succeeded' : 'Failed',
    });
  }
  const gate = gateAfter(crashCount, exit.at, spec.backoff);
  if (gate.overLimit) return withExit(endPlan(input, gate, what));
  const due = gate.dueAt;
  if (now < due) {
    return withExit({
      action: 'wait',
      reason: 'BackOff',
      message: `${what}; ${waitText(gate, now)}`,
      phase: 'CrashLoopBackOff',
      requeueAfterMs: due - now,
      nextStartAt: due,
    });
  }
  return withExit(
    depsWait() ?? {
      action: 'restart',
      reason: 'Exited',
      message: `${what}; restartPolicy ${spec.restartPolicy}`,
      phase: 'Pending',
    },
  );
}

function short(h: string | null | undefined): string {
  return h ? h.slice(0, 12) : 'none';
}

/** A restart of a live incarnation (health, context) through the one backoff: at most one start
 * per delay, and none beyond backoff.maxRetries. */
function liveRestart(input: PlanInput, reason: 'Unhealthy' | 'ContextFull', why: string): Plan {
  const r = input.record!;
  const b = input.desired!.spec.backoff;
  const gate = gateLive(r.crashCount, r.startedAt, input.now, b);
  if (gate.overLimit) return endPlan(input, gate, why);
  if (input.now < gate.dueAt)
    return {
      action: 'wait',
      reason,
      message: `${why}; ${waitText(gate, input.now)}`,
      phase: 'Running',
      requeueAfterMs: gate.dueAt - input.now,
      nextStartAt: gate.dueAt,
    };
  const message = `${why} (restart ${gate.crashCount} in a row)`;
  return { action: 'restart', reason, message, phase: 'Running', crashCount: gate.crashCount };
}

function endPlan(input: PlanInput, gate: Gate, why: string): Plan {
  const message = `${why}; ${limitText(gate, input.desired!.spec.backoff)}`;
  return { action: 'end', reason: 'RetryLimit', message, phase: 'Failed', crashCount: gate.crashCount };
}

/** The agent already ended at its retry limit, and neither its spec nor `agentctl restart` has
 * started the count over since: it stays Failed (a live incarnation left over is ended again). */
function retryLimitReached(input: PlanInput): Plan | undefined {
  const { record: r, desired, observed: o } = input;
  const max = desired?.spec.backoff.maxRetries;
  if (!r || !desired || max === undefined || r.crashCount <= max || r.specHash !== desired.hash) return undefined;
  if (r.restartRequestedAt != null && !r.claude?.restartPending) return undefined;
  if (o && o.hash !== desired.hash) return undefined;
  const message = `ended after ${r.crashCount} restarts in a row (backoff.maxRetries ${max}): not restarting until the spec changes or agentctl restart`;
  return { action: o?.alive ? 'end' : 'none', reason: 'RetryLimit', message, phase: 'Failed' };
}
