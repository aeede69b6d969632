// reconcile --once: converge every agent through the same queue, then report who did not converge.
import type { Controller, LastResult } from './controller.js';
import type { AgentRecord } from '../registry/record.js';
import type { World } from './world.js';

export interface OnceOutcome {
  name: string;
  converged: boolean;
  phase: string;
  reason: string;
  message: string;
}

export interface OnceSummary {
  outcomes: OnceOutcome[];
  timedOut: boolean;
  invalidSpecs: number;
}

/** Errors of one step get this many tries in --once before the agent counts as failed. */
const MAX_TRIES = 3;

const TERMINAL_REASONS = new Set(['NameConflict', 'PruneBlocked', 'SpecInvalid', 'BackOff', 'Completed', 'Exited', 'Suspended', 'Stopped', 'NotOwned']);

function isSettled(l: LastResult | undefined, w: World, name: string, settledNames: Set<string>): boolean {
  if (!l) return false;
  if (l.error !== undefined) return l.failures >= MAX_TRIES;
  const r = l.result!;
  if (r.settled) return true;
  if (TERMINAL_REASONS.has(r.plan.reason)) return true;
  // Waiting on dependencies that have themselves settled without becoming Ready: stuck for good.
  if (r.plan.reason === 'DependencyNotReady') {
    const deps = w.specs.agents.get(name)?.spec.dependsOn ?? [];
    const waitingFor = deps.filter((d) => w.records.get(d)?.ready !== true);
    return waitingFor.length > 0 && waitingFor.every((d) => settledNames.has(d));
  }
  return false;
}

function converged(w: World, name: string, rec: AgentRecord | undefined, l: LastResult | undefined): OnceOutcome {
  const desired = w.specs.agents.get(name);
  if (l?.error !== undefined) return { name, converged: false, phase: rec?.phase ?? 'Unknown', reason: 'StepFailed', message: l.error };
  const plan = l?.result?.plan;
  if (w.specs.invalidNames.has(name)) return { name, converged: false, phase: rec?.phase ?? 'Unknown', reason: 'SpecInvalid', message: `spec file ${w.specs.invalidNames.get(name)} is invalid` };
  if (!desired) {
    const gone = !rec;
    return { name, converged: gone || plan?.reason === 'NotOwned', phase: rec?.phase ?? 'Pruned', reason: plan?.reason ?? 'SpecRemoved', message: plan?.message ?? '' };
  }
  if (!rec) return { name, converged: false, phase: 'Unknown', reason: plan?.reason ?? 'NotReconciled', message: plan?.message ?? 'not reconciled' };
  const ok =
    rec.phase === 'Suspended' ||
    (desired.spec.state === 'Stopped' && rec.phase === 'Stopped') ||
    (desired.spec.state === 'Running' && ((rec.phase === 'Running' && rec.ready) || rec.phase === 'Succeeded'));
  if (!ok && rec.phase === 'Running' && !rec.ready) {
    const readyCond = rec.conditions.find((c) => c.type === 'Ready');
    return { name, converged: false, phase: rec.phase, reason: 'NotReady', message: readyCond?.message || rec.message };
  }
  return { name, converged: ok, phase: rec.phase, reason: plan?.reason ?? '', message: rec.message };
}

/** An agent started by this run counts as running once it has stayed up this long: a process
 * that dies at once (bad argument, port taken) is caught before --once reports success. */
export const DEFAULT_SETTLE_MS = 1000;

export async function runOnce(w: World, c: Controller, timeoutMs: number, only?: Iterable<string>, settleMs = DEFAULT_SETTLE_MS): Promise<OnceSummary> {
  const names = only ? new Set(only) : w.allNames();
  const deadline = Date.now() + timeoutMs;
  let timedOut = false;
  // Agents started in this run are looked at again once they have been up for settleMs: one
  // shared timer and one fresh observation per wave of starts, not one per agent.
  const due = new Map<string, number>();
  let recheck: NodeJS.Timeout | undefined;
  const scheduleRecheck = (): void => {
    if (recheck || due.size === 0) return;
    const at = Math.max(...due.values());
    recheck = setTimeout(() => {
      recheck = undefined;
      const now = Date.now();
      const ripe = [...due].filter(([, t]) => t <= now).map(([n]) => n);
      for (const n of ripe) due.delete(n);
      const runtimes = new Set(ripe.map((n) => w.records.get(n)?.runtime ?? 'tmux'));
      void Promise.allSettled([...runtimes].map((rt) => w.observer.refresh(rt))).then(() => {
        for (const n of ripe) c.enqueue(n);
        scheduleRecheck();
      });
    }, Math.max(0, at - Date.now()) + 20);
  };
  await new Promise<void>((resolve) => {
    const settledNames = new Set<string>();
    const young = (n: string): boolean => {
      const rec = w.records.get(n);
      if (!rec || rec.phase !== 'Running' || rec.startedAt === null) return false;
      const at = rec.startedAt + settleMs;
      if (at <= Date.now()) return false;
      if (!due.has(n)) {
        due.set(n, at);
        scheduleRecheck();
      }
      return true;
    };
    // Incremental: a processed name is checked on its own; names waiting on dependencies are
    // checked again whenever something settles (they may be stuck behind it for good).
    const waitingOnDeps = new Set<string>();
    const settle = (n: string): boolean => {
      if (settledNames.has(n) || !names.has(n)) return false;
      if (!isSettled(c.last.get(n), w, n, settledNames) || young(n)) {
        if (c.last.get(n)?.result?.plan.reason === 'DependencyNotReady') waitingOnDeps.add(n);
        else waitingOnDeps.delete(n);
        return false;
      }
      settledNames.add(n);
      waitingOnDeps.delete(n);
      return true;
    };
    const check = (name: string): void => {
      let changed = settle(name);
      while (changed) {
        changed = false;
        for (const n of [...waitingOnDeps]) if (settle(n)) changed = true;
      }
      if (settledNames.size >= names.size) finish();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      finish();
    }, Math.max(0, deadline - Date.now()));
    const off = c.onProcessed(check);
    function finish(): void {
      clearTimeout(timer);
      if (recheck) clearTimeout(recheck);
      off();
      resolve();
    }
    c.enqueueAll(names);
    c.start();
    if (names.size === 0) finish();
  });
  await c.stop();
  await w.o.hooks?.drain?.();
  const outcomes = [...names].sort().map((n) => converged(w, n, w.records.get(n), c.last.get(n)));
  return { outcomes, timedOut, invalidSpecs: w.specs.errors.length };
}

/** Convergence as the registry records it, for waiting on a controller that holds the lock. */
export function recordedOutcomes(w: World): OnceOutcome[] {
  return [...w.allNames()].sort().map((name) => {
    const desired = w.specs.agents.get(name);
    const rec = w.records.get(name);
    const base = converged(w, name, rec, undefined);
    // The controller has not applied the current spec yet.
    if (desired && rec && desired.spec.state === 'Running' && rec.specHash !== desired.hash && rec.phase !== 'Suspended') {
      return { ...base, converged: false, reason: 'Pending', message: 'spec not applied yet' };
    }
    return base;
  });
}
