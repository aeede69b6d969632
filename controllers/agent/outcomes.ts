// What reconcile --once reports per agent: converged or not, in which phase, and why.
import type { KeyStatus } from '../../src/engine/reconciler.js';
import type { AgentRecord } from '../../src/registry/record.js';
import type { AgentDeps } from './deps.js';
import { invalidSpecOf } from './invalid-specs.js';
import { allNames } from './inventory.js';
import type { Plan } from './plan.js';

export interface OnceOutcome {
  name: string;
  converged: boolean;
  phase: string;
  reason: string;
  message: string;
  /** The agent's spec is gone and it was pruned in this run. */
  pruned: boolean;
}

export function outcomeOf(
  d: AgentDeps,
  name: string,
  status: KeyStatus | undefined,
  plan: Plan | undefined,
): OnceOutcome {
  const rec: AgentRecord | undefined = d.records.get(name);
  const desired = d.desired.get(name);
  const pruned = !desired && !rec && plan?.action === 'prune';
  const base = { name, pruned };
  if (status?.error !== undefined)
    return { ...base, converged: false, phase: rec?.phase ?? 'Unknown', reason: 'StepFailed', message: status.error };
  const invalid = invalidSpecOf(d.desired.specs, name, rec);
  if (invalid)
    return {
      ...base,
      converged: false,
      phase: rec?.phase ?? 'Unknown',
      reason: 'SpecInvalid',
      message: `spec file ${invalid.file} is invalid: ${invalid.message}`,
    };
  if (!desired) {
    return {
      ...base,
      converged: !rec || plan?.reason === 'NotOwned',
      phase: rec?.phase ?? 'Pruned',
      reason: plan?.reason ?? 'SpecRemoved',
      message: plan?.message ?? '',
    };
  }
  if (!rec)
    return {
      ...base,
      converged: false,
      phase: 'Unknown',
      reason: plan?.reason ?? 'NotReconciled',
      message: plan?.message ?? 'not reconciled',
    };
  const ok =
    rec.phase === 'Suspended' ||
    (desired.spec.state === 'Stopped' && rec.phase === 'Stopped') ||
    (desired.spec.state === 'Running' && ((rec.phase === 'Running' && rec.ready) || rec.phase === 'Succeeded'));
  if (!ok && rec.phase === 'Running' && !rec.ready) {
    const readyCond = rec.conditions.find((c) => c.type === 'Ready');
    return {
      ...base,
      converged: false,
      phase: rec.phase,
      reason: 'NotReady',
      message: readyCond?.message || rec.message,
    };
  }
  return { ...base, converged: ok, phase: rec.phase, reason: plan?.reason ?? '', message: rec.message };
}

/** Convergence as the registry records it, for waiting on a controller that holds the lock. */
export function recordedOutcomes(d: AgentDeps): OnceOutcome[] {
  return [...allNames(d)].sort().map((name) => {
    const desired = d.desired.get(name);
    const rec = d.records.get(name);
    const base = outcomeOf(d, name, undefined, undefined);
    // The controller has not applied the current spec yet.
    if (
      desired &&
      rec &&
      desired.spec.state === 'Running' &&
      rec.specHash !== desired.hash &&
      rec.phase !== 'Suspended'
    ) {
      return { ...base, converged: false, reason: 'Pending', message: 'spec not applied yet' };
    }
    return base;
  });
}
