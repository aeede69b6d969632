// Takes the output clock's samples: where each running agent's output ends, one call per runtime.
import type { Runtime } from '../runtime/types.js';
import type { ClockStore } from './clock-store.js';

export interface SampleGroup {
  rt: Runtime;
  names: readonly string[];
}

/** Samples every group; a runtime that cannot say is skipped (the clock just has a gap). */
export async function sampleOutput(
  store: ClockStore,
  groups: readonly SampleGroup[],
  now: () => number,
): Promise<number> {
  let recorded = 0;
  const all = new Set<string>();
  for (const g of groups) {
    if (!g.rt.outputMarks || g.names.length === 0) continue;
    let marks;
    try {
      marks = await g.rt.outputMarks(g.names);
    } catch {
      continue;
    }
    const t = now();
    for (const [name, c] of marks) {
      all.add(name);
      await store.record(name, c, t);
      recorded++;
    }
  }
  store.forget(all);
  return recorded;
}
