// The dependsOn graph: cycle detection and start order (pure).

/** Every elementary cycle reachable in the graph, each as a path that ends where it starts
 * (`[a, b, a]`), reported once. Unknown names are ignored here (they are reported elsewhere). */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (n: string): void => {
    state.set(n, 'visiting');
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      if (!graph.has(d)) continue;
      const s = state.get(d);
      if (s === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(d)), d];
        const key = [...cycle.slice(0, -1)].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          cycles.push(cycle);
        }
      } else if (s === undefined) {
        visit(d);
      }
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return cycles;
}

/** Names ordered so that each comes after everything it depends on (cycles broken arbitrarily). */
export function startOrder(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const out: string[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (n: string): void => {
    if (done.has(n) || visiting.has(n)) return;
    visiting.add(n);
    for (const d of graph.get(n) ?? []) if (graph.has(d)) visit(d);
    visiting.delete(n);
    done.add(n);
    out.push(n);
  };
  for (const n of [...graph.keys()].sort()) visit(n);
  return out;
}

/** Agents that depend on `name`, directly or not. */
export function dependents(graph: ReadonlyMap<string, readonly string[]>, name: string): Set<string> {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [n, deps] of graph) {
      if (out.has(n)) continue;
      if (deps.includes(name) || deps.some((d) => out.has(d))) {
        out.add(n);
        grew = true;
      }
    }
  }
  return out;
}
