// Cross-document check of placement (pure): every name in an agent's `hosts` list is a Host document.
import type { SpecError } from './errors.js';
import type { AgentDocument } from './schema.js';
import type { SourceDocument } from './yaml-source.js';

/** Names in `spec.hosts` that no `kind: Host` document defines are located errors (the file is
 * isolated: a running agent is never moved by it). */
export function checkHostRefs(
  c: { source: SourceDocument; document: AgentDocument },
  hostNames: ReadonlySet<string>,
  fail: (e: SpecError) => void,
): void {
  (c.document.spec.hosts ?? []).forEach((h, i) => {
    if (hostNames.has(h)) return;
    const p = c.source.locate(['spec', 'hosts', i]);
    const message = `unknown Host "${h}": no kind: Host document of that name in the specs folder`;
    fail({ file: c.source.file, line: p.line, col: p.col, path: `spec.hosts[${i}]`, message });
  });
}
