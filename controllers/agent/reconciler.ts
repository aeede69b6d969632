// The agent reconciler for the generic loop: reconcileAgent plus settledness and the keys it wakes.
import type { Reconciler, Result } from '../../src/engine/reconciler.js';
import type { AgentDeps } from './deps.js';
import { reconcileAgent } from './reconcile.js';
import { sessionNeed } from './session/needs.js';
import { isSettled, settleDueAt, SettledBook } from './settled.js';

/**
 * `wake` receives the names to look at again because of this one (controller-runtime's handler
 * mapping): the dependents of an agent whose readiness or settledness changed (their start may be
 * unblocked, or stuck for good), and the dependencies of one that stopped (their stop may go on).
 */
export function agentReconciler(
  d: AgentDeps,
  wake: (names: Iterable<string>) => void,
  book = new SettledBook(),
): Reconciler {
  return async (name: string, signal: AbortSignal): Promise<Result> => {
    const before = d.records.get(name);
    const wasReady = before?.ready === true;
    const hadHandle = before?.handle ?? null;
    const out = await reconcileAgent(d, name, signal);
    const rec = d.records.get(name);
    // What of its terminal the session hub reads for it from now on (level-based, like the rest).
    d.sessions?.follow(name, sessionNeed(rec, d.desired.get(name), d.identity.home));
    const now = d.now();
    const notReady = (d.desired.get(name)?.spec.dependsOn ?? []).filter((dep) => d.records.get(dep)?.ready !== true);
    const settled = isSettled({
      plan: out.plan,
      record: rec,
      now,
      settleMs: d.policy.settleMs,
      dependenciesStuck: notReady.length > 0 && notReady.every((n) => book.has(n)),
    });
    const settleChanged = book.set(name, settled);
    book.record(name, out.plan);
    let requeueAfterMs = out.requeueAfterMs;
    const due = settleDueAt(rec, d.policy.settleMs);
    if (due !== null && due > now) {
      // Look again once it has stayed up, with a view taken after that moment.
      d.views.needFresh(name, due);
      requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, due - now + 5);
    }
    const readyChanged = (rec?.ready === true) !== wasReady;
    const stopped = hadHandle !== null && (rec?.handle ?? null) === null;
    if (readyChanged || settleChanged) wake(d.desired.dependentsOf(name));
    if (stopped)
      wake(d.desired.get(name)?.spec.dependsOn ?? (before?.appliedSpec?.dependsOn as string[] | undefined) ?? []);
    return { settled, ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}) };
  };
}
