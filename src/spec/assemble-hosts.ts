// Validates the `kind: Host` documents of a specs folder: schema, located errors, duplicate names (pure).
import { HostDocument } from './schema.js';
import type { SpecError } from './errors.js';
import { issueErrors } from './issues.js';
import type { SourceDocument } from './yaml-source.js';

export interface AssembledHost {
  name: string;
  file: string;
  line: number;
  document: HostDocument;
}

export interface CheckedHost {
  name: string;
  source: SourceDocument;
  /** Set when the document is valid on its own. */
  document?: HostDocument;
}

/** Checks each Host document; every error goes through `fail`, which isolates its file. Host
 * names are their own namespace: an Agent and a Host may share a name. */
export function checkHosts(
  docs: readonly { name: string | undefined; source: SourceDocument }[],
  fail: (e: SpecError) => void,
): CheckedHost[] {
  const byName = new Map<string, SourceDocument[]>();
  for (const d of docs) if (d.name) byName.set(d.name, [...(byName.get(d.name) ?? []), d.source]);
  for (const [name, sources] of byName) {
    if (sources.length < 2) continue;
    for (const s of sources) {
      const others = sources.filter((o) => o !== s).map((o) => `${o.file}:${o.line}`);
      const p = s.locate(['metadata', 'name']);
      fail({
        file: s.file,
        line: p.line,
        col: p.col,
        path: 'metadata.name',
        message: `duplicate Host name "${name}" (also at ${others.join(', ')})`,
      });
    }
  }
  return docs.map((d) => {
    const parsed = HostDocument.safeParse(d.source.value);
    if (!parsed.success) {
      for (const e of issueErrors(parsed.error.issues, [d.source], d.source, d.source.value)) fail(e);
      return { name: d.name ?? '', source: d.source };
    }
    return { name: parsed.data.metadata.name, source: d.source, document: parsed.data };
  });
}

/** Valid Hosts outside isolated files, and the names of those inside them (name → file). */
export function settleHosts(
  checked: readonly CheckedHost[],
  invalidFiles: ReadonlySet<string>,
  broken: ReadonlyMap<string, string>,
) {
  const hosts = new Map<string, AssembledHost>();
  const invalidHosts = new Map<string, string>();
  for (const h of checked) {
    if (h.document && !invalidFiles.has(h.source.file)) {
      hosts.set(h.name, { name: h.name, file: h.source.file, line: h.source.line, document: h.document });
    } else if (h.name) invalidHosts.set(h.name, h.source.file);
  }
  for (const [name, file] of broken) if (!hosts.has(name) && !invalidHosts.has(name)) invalidHosts.set(name, file);
  return { hosts, invalidHosts };
}

export type Placement =
  | { kind: 'local' }
  | { kind: 'remote'; host: string }
  | { kind: 'elsewhere'; host: string }
  | { kind: 'isolated'; file: string };

/** Where an agent runs and who drives it. A Host with `ssh` is driven from here, unless it is this
 * controller's own host (a controller never connects to itself); a Host whose document is
 * isolated keeps its agents as they are; any other name keeps the v1 meaning. */
export function placement(
  host: string | undefined,
  self: string,
  hosts: ReadonlyMap<string, AssembledHost>,
  invalidHosts: ReadonlyMap<string, string>,
): Placement {
  if (host === undefined || host === self) return { kind: 'local' };
  if (hosts.get(host)?.document.spec.ssh) return { kind: 'remote', host };
  const broken = invalidHosts.get(host);
  if (broken !== undefined) return { kind: 'isolated', file: broken };
  return { kind: 'elsewhere', host };
}
