// planAgent: from the stores and one view, what reconcile will do for one agent (used by reconcile and diff).
import { emptyRecord, type AgentRecord } from '../../src/registry/record.js';
import type { Observation, ObservedAgent, Runtime } from '../../src/runtime/types.js';
import type { DesiredAgent } from '../../src/spec/load.js';
import type { AgentDeps } from './deps.js';
import { addEvent } from './events.js';
import { probeIfDue } from './health-step.js';
import { planInputFor } from './plan-input.js';
import { hostOfKey, placementOf, runtimeKeyOf } from './placement.js';
import { plan, type Plan } from './plan.js';
import { withSessionReason } from './session/session-step.js';
import { budgetGate, withBudgetReason, withBudgetWait } from './attention/attention-step.js';

/** The agent's runtime is missing or did not answer: nothing is planned on it. */
export interface Unavailable {
  kind: 'unavailable';
  key: string;
  existing: AgentRecord | undefined;
  error: Error;
  /** The runtime is not one this controller has (rather than one that did not answer). */
  missing: boolean;
}

/** A plan, with everything acting on it needs. `rec` is the working copy of the record: adoption
 * and a due health probe are already folded into it; nothing is saved. */
export interface Planned {
  kind: 'planned';
  name: string;
  key: string;
  started: number;
  desired: DesiredAgent | undefined;
  existing: AgentRecord | undefined;
  rec: AgentRecord;
  observed: ObservedAgent | undefined;
  runtime: Runtime;
  plan: Plan;
}

export type AgentPlan = Unavailable | Planned;

/** How the agent's runtime is looked at: reconcile asks the shared views, diff its own observation. */
export type ViewOf = (key: string) => Promise<Observation>;

function missingRuntime(key: string): Error {
  const host = hostOfKey(key);
  return new Error(
    host === undefined
      ? `the ${key} runtime is not available on this machine`
      : `Host ${host} is not in the specs with ssh`,
  );
}

/** The working record: a copy of the stored one, or a new one placed where the spec says. */
function workingRecord(d: AgentDeps, name: string, desired: DesiredAgent | undefined, at: number): AgentRecord {
  const existing = d.records.get(name);
  if (existing) return structuredClone(existing);
  const place = placementOf(desired);
  return {
    ...emptyRecord(name, place.runtime, d.identity.owner, at),
    ...(place.host !== undefined ? { host: place.host } : {}),
  };
}

/** A live incarnation of ours that the record does not know (registry lost, or the controller
 * died between a start and its record) is adopted rather than restarted (mutates `rec`). */
function adopt(
  rec: AgentRecord,
  desired: DesiredAgent | undefined,
  o: ObservedAgent | undefined,
  owner: string,
  at: number,
): void {
  if (!o?.alive || o.owner !== owner || !desired || o.hash !== desired.hash || rec.handle === o.handle) return;
  rec.handle = o.handle;
  rec.startedAt = o.startedAt ?? at;
  rec.specHash = o.hash;
  addEvent(rec, at, 'Normal', 'Adopted', `found running (${o.handle}); adopted`);
}

export async function planAgent(d: AgentDeps, name: string, viewOf: ViewOf): Promise<AgentPlan> {
  const started = d.now();
  const desired = d.desired.get(name);
  const existing = d.records.get(name);
  const key = runtimeKeyOf(desired, existing);
  if (!d.runtimes.has(key)) return { kind: 'unavailable', key, existing, error: missingRuntime(key), missing: true };
  let view;
  try {
    view = await viewOf(key);
  } catch (err) {
    // An unanswered observation is never "gone": nothing is started, stopped or pruned on it.
    const error = err instanceof Error ? err : new Error(String(err));
    return { kind: 'unavailable', key, existing, error, missing: false };
  }
  const observed = view.agents.get(name);
  const runtime = d.runtimes.get(key);
  const rec = workingRecord(d, name, desired, started);
  adopt(rec, desired, observed, d.identity.owner, started);
  await probeIfDue(d, rec, desired, observed);
  const vanishedExit =
    !observed && existing?.handle && existing.lastExit?.handle !== existing.handle
      ? await runtime.exitOf(name, existing.handle)
      : null;
  const budgetWait = budgetGate(d, rec, desired);
  const input = planInputFor(d, name, existing ? rec : undefined, observed, vanishedExit);
  const p = withBudgetWait(withBudgetReason(withSessionReason(plan(input), rec), rec), budgetWait);
  return { kind: 'planned', name, key, started, desired, existing, rec, observed, runtime, plan: p };
}
