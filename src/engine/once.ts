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
  return { name, converged: ok, phase: rec.phase, reason: plan?.reason ?? '', message: rec.message };
}

export async function runOnce(w: World, c: Controller, timeoutMs: number, only?: Iterable<string>): Promise<OnceSummary> {
  const names = only ? new Set(only) : w.allNames();
  const deadline = Date.now() + timeoutMs;
  let timedOut = false;
  await new Promise<void>((resolve) => {
    const settledNames = new Set<string>();
    const check = (): void => {
      for (const n of names) if (!settledNames.has(n) && isSettled(c.last.get(n), w, n, settledNames)) settledNames.add(n);
      // Dependency waits are re-evaluated once their dependencies settle.
      for (const n of names) if (!settledNames.has(n) && isSettled(c.last.get(n), w, n, settledNames)) settledNames.add(n);
      if (settledNames.size >= names.size) finish();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      finish();
    }, Math.max(0, deadline - Date.now()));
    const off = c.onProcessed(check);
    function finish(): void {
      clearTimeout(timer);
      off();
      resolve();
    }
    c.enqueueAll(names);
    c.start();
    if (names.size === 0) finish();
  });
  await c.stop();
  const outcomes = [...names].sort().map((n) => converged(w, n, w.records.get(n), c.last.get(n)));
  return { outcomes, timedOut, invalidSpecs: w.specs.errors.length };
}
