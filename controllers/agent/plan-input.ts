// Gathers, from the stores and views as they are now, everything the planner needs about one agent.
import type { AgentRecord } from '../../src/registry/record.js';
import type { ExitInfo, ObservedAgent } from '../../src/runtime/types.js';
import type { AgentDeps } from './deps.js';
import { invalidSpecOf } from './invalid-specs.js';
import { pruneBlocked } from './inventory.js';
import { runtimeKeyOf } from './placement.js';
import type { PlanInput } from './plan.js';

/** Agents depending on `name` that are also to stop and still run (they must stop first). */
function dependentsRunning(d: AgentDeps, name: string): string[] {
  // A dependent counts as running until its own record says it was stopped: the shared view
  // may predate that stop.
  const alive = (rec: AgentRecord): boolean =>
    rec.handle !== null && d.views.observed(runtimeKeyOf(undefined, rec), rec.name)?.alive === true;
  const out: string[] = [];
  for (const dependent of d.desired.dependentsOf(name)) {
    const rec = d.records.get(dependent);
    if (!rec || rec.name === name) continue;
    const desired = d.desired.get(rec.name);
    const deps = desired?.spec.dependsOn ?? (rec.appliedSpec?.dependsOn as string[] | undefined) ?? [];
    if (!deps.includes(name)) continue;
    const stopping = !desired || desired.spec.state === 'Stopped' || (rec.suspended && rec.suspendStop);
    if (stopping && alive(rec)) out.push(rec.name);
  }
  return out.sort();
}

export function planInputFor(
  d: AgentDeps,
  name: string,
  record: AgentRecord | undefined,
  observed: ObservedAgent | undefined,
  vanishedExit: ExitInfo | null,
): PlanInput {
  const desired = d.desired.get(name);
  const specs = d.desired.specs;
  const invalid = invalidSpecOf(specs, name, record);
  const blocked = desired ? undefined : pruneBlocked(d);
  const placedOn = specs.elsewhere.get(name);
  return {
    name,
    desired,
    ...(invalid ? { specInvalid: invalid } : {}),
    ...(placedOn ? { placedOn } : {}),
    observed,
    vanishedExit,
    record,
    owner: d.identity.owner,
    now: d.now(),
    dependenciesNotReady: (desired?.spec.dependsOn ?? []).filter((dep) => d.records.get(dep)?.ready !== true),
    dependentsRunning: dependentsRunning(d, name),
    ...(blocked ? { pruneBlocked: blocked } : {}),
  };
}
