// Which agents this controller looks at, which runtimes it must observe, and whether prunes may happen.
import { invalidSpecOf } from './invalid-specs.js';
import type { AgentDeps } from './deps.js';
import { runtimeKey, runtimeKeyOf } from './placement.js';
import { pruneBlockedReason } from './prune-guard.js';

/** Runtimes that matter now: those of desired agents and of records (tmux always). */
export function runtimeKeysInUse(d: AgentDeps): string[] {
  const used = new Set<string>(['tmux']);
  for (const a of d.desired.specs.agents.values()) used.add(runtimeKeyOf(a, undefined));
  for (const r of d.records.all()) {
    used.add(runtimeKeyOf(undefined, r));
    for (const f of r.fenced ?? []) used.add(runtimeKey(f.runtime, f.host));
  }
  return [...used].filter((k) => d.runtimes.has(k));
}

/** Names of live objects that carry this controller's mark, in every runtime observed. */
function marked(d: AgentDeps): Set<string> {
  const out = new Set<string>();
  for (const key of d.runtimes.keys()) {
    for (const a of d.views.peek(key)?.agents.values() ?? []) if (a.owner === d.identity.owner) out.add(a.name);
  }
  return out;
}

/** Every name this controller should look at: desired, recorded, broken, or marked as ours. */
export function allNames(d: AgentDeps): Set<string> {
  const s = d.desired.specs;
  return new Set<string>([...s.agents.keys(), ...d.records.names(), ...s.invalidNames.keys(), ...marked(d)]);
}

/** Why prunes are refused right now, if they are (DESIGN §7). */
export function pruneBlocked(d: AgentDeps): string | undefined {
  const s = d.desired.specs;
  const owned = new Set([...d.records.names(), ...marked(d)]);
  let toPrune = 0;
  for (const n of owned) if (!s.agents.has(n) && !invalidSpecOf(s, n, d.records.get(n))) toPrune++;
  return pruneBlockedReason({
    folderExists: s.exists,
    fileCount: s.fileCount,
    owned: owned.size,
    toPrune,
    invalidFiles: s.invalidFiles.size,
    allowMassPrune: d.policy.allowMassPrune,
  });
}
