// Two agents never share a worktree: agents with a workspace on the same host and workdir are errors (pure).
import type { AgentDocument } from './schema.js';
import type { SpecError } from './errors.js';
import type { SourceDocument } from './yaml-source.js';

export interface WorktreeOwner {
  name: string;
  source: SourceDocument;
  document: AgentDocument;
}

/** One error on each agent whose worktree (its workdir, on its host) another agent also claims. */
export function sharedWorktreeErrors(agents: readonly WorktreeOwner[]): SpecError[] {
  const byPlace = new Map<string, WorktreeOwner[]>();
  for (const a of agents) {
    const s = a.document.spec;
    if (!s.workspace) continue;
    const key = `${s.host ?? ''}\0${(s.workdir ?? '').replace(/\/+$/, '')}`;
    byPlace.set(key, [...(byPlace.get(key) ?? []), a]);
  }
  const errors: SpecError[] = [];
  for (const group of byPlace.values()) {
    if (group.length < 2) continue;
    for (const a of group) {
      const others = group.filter((o) => o !== a).map((o) => `${o.name} at ${o.source.file}:${o.source.line}`);
      // The workdir as written, else (a default) the nearest node above it.
      const p = a.source.locate(['spec', 'workdir']);
      errors.push({
        file: a.source.file,
        line: p.line,
        col: p.col,
        path: 'spec.workdir',
        message: `worktree ${a.document.spec.workdir} is also the workspace of ${others.join(', ')}: two agents never share a worktree`,
      });
    }
  }
  return errors;
}
