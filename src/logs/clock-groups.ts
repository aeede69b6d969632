// Which agents the output clock samples, grouped by the runtime they live in: those with an incarnation.
import type { AgentDeps } from '../../controllers/agent/deps.js';
import { runtimeKeyOf } from '../../controllers/agent/placement.js';
import type { SampleGroup } from './sampler.js';

export function clockGroups(d: AgentDeps): SampleGroup[] {
  const byKey = new Map<string, string[]>();
  for (const r of d.records.all()) {
    if (r.handle === null) continue;
    const key = runtimeKeyOf(d.desired.get(r.name), r);
    if (!d.runtimes.has(key)) continue;
    const names = byKey.get(key);
    if (names) names.push(r.name);
    else byKey.set(key, [r.name]);
  }
  return [...byKey].map(([key, names]) => ({ rt: d.runtimes.get(key), names }));
}
