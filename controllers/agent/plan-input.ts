// Gathers, from the world as it is now, everything the planner needs about one agent.
import type { World } from '../../src/engine/world.js';
import type { AgentRecord } from '../../src/registry/record.js';
import type { ExitInfo, ObservedAgent } from '../../src/runtime/types.js';
import type { PlanInput } from './plan.js';

/** Agents depending on `name` that are also to stop and still run (they must stop first). */
function dependentsRunning(w: World, name: string): string[] {
  // A dependent counts as running until its own record says it was stopped: the shared view
  // may predate that stop.
  const alive = (n: string): boolean => {
    const rec = w.records.get(n);
    if (!rec || rec.handle === null) return false;
    return w.observer.peek(rec.runtime)?.agents.get(n)?.alive === true;
  };
  const out: string[] = [];
  for (const dependent of w.dependentsOf(name)) {
    const rec = w.records.get(dependent);
    if (!rec || rec.name === name) continue;
    const desired = w.specs.agents.get(rec.name);
    const deps = desired?.spec.dependsOn ?? (rec.appliedSpec?.dependsOn as string[] | undefined) ?? [];
    if (!deps.includes(name)) continue;
    const stopping = !desired || desired.spec.state === 'Stopped' || (rec.suspended && rec.suspendStop);
    if (stopping && alive(rec.name)) out.push(rec.name);
  }
  return out.sort();
}

export function planInputFor(w: World, name: string, record: AgentRecord | undefined, observed: ObservedAgent | undefined, vanishedExit: ExitInfo | null): PlanInput {
  const desired = w.specs.agents.get(name);
  const invalidFile = w.specs.invalidNames.get(name);
  const pruneBlocked = desired ? undefined : w.pruneBlocked();
  const placedOn = w.specs.elsewhere.get(name);
  return {
    name,
    desired,
    ...(invalidFile ? { specInvalid: { file: invalidFile, message: 'see agentctl validate' } } : {}),
    ...(placedOn ? { placedOn } : {}),
    observed,
    vanishedExit,
    record,
    owner: w.o.owner,
    now: w.now(),
    dependenciesNotReady: (desired?.spec.dependsOn ?? []).filter((d) => w.records.get(d)?.ready !== true),
    dependentsRunning: dependentsRunning(w, name),
    ...(pruneBlocked ? { pruneBlocked } : {}),
  };
}
