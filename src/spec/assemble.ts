// Turns parsed spec files, _defaults.yaml and host overlays into validated effective agents (pure).
import mergePatch from 'json-merge-patch';
import { AgentDocument, NAME_PATTERN } from './schema.js';
import { compareSpecErrors, formatPath, type PathSegment, type SpecError } from './errors.js';
import { isRecord, issueErrors } from './issues.js';
import type { ParsedFile, SourceDocument } from './yaml-source.js';
import { findCycles } from './depends.js';
import { checkHosts, settleHosts, type AssembledHost } from './assemble-hosts.js';
import type { DocumentMemo } from './document-memo.js';
import { checkHostRefs } from './placement-refs.js';
import { sharedWorktreeErrors } from './shared-worktrees.js';

export interface AssembledAgent {
  name: string;
  file: string;
  line: number;
  /** Validated effective document (defaults and overlay applied, zod defaults filled in). */
  document: AgentDocument;
}

export interface AssembleInput {
  files: ParsedFile[];
  defaults?: ParsedFile;
  /** Overlays for this controller's host, by agent name. */
  overlays: Map<string, ParsedFile>;
  /** Other files every agent depends on (an overlay folder that cannot be read): any error in
   * them isolates every agent, as a broken `_defaults.yaml` does. */
  shared?: ParsedFile[];
  /** Documents of earlier loads, reused when their layers are the same objects. */
  memo?: DocumentMemo;
}

export interface AssembleResult {
  /** Every valid agent in the folder, whatever host it is placed on. */
  agents: Map<string, AssembledAgent>;
  /** Every valid Host document (DESIGN §9.1). */
  hosts: Map<string, AssembledHost>;
  /** Hosts named in isolated files (as far as they could be read), with their file. */
  invalidHosts: Map<string, string>;
  errors: SpecError[];
  /** Files with at least one error: every agent in them keeps its last applied state. */
  invalidFiles: Set<string>;
  /** Names found in invalid files (as far as they could be read), with their file. */
  invalidNames: Map<string, string>;
}

interface Candidate {
  name: string;
  source: SourceDocument;
  document?: AgentDocument;
}

const isHostDoc = (value: unknown): boolean => isRecord(value) && value.kind === 'Host';

function nameOf(value: unknown): string | undefined {
  if (!isRecord(value) || !isRecord(value.metadata)) return undefined;
  const n = value.metadata.name;
  return typeof n === 'string' && NAME_PATTERN.test(n) ? n : undefined;
}

function structuralErrors(doc: SourceDocument): SpecError[] {
  const at = (path: PathSegment[], message: string, key?: string): SpecError => {
    const p = doc.locate(path, key);
    return { file: doc.file, line: p.line, col: p.col, path: formatPath(key ? [...path, key] : path), message };
  };
  const v = doc.value;
  if (!isRecord(v)) return [at([], 'a spec document must be a mapping')];
  if (v.apiVersion !== 'agentctl/v1') {
    return [
      at(
        [],
        `apiVersion must be agentctl/v1 (got ${JSON.stringify(v.apiVersion ?? null)}); run \`agentctl import\` for older formats`,
        'apiVersion',
      ),
    ];
  }
  if (v.kind !== 'Agent' && v.kind !== 'Host')
    return [at([], `kind must be Agent or Host (got ${JSON.stringify(v.kind ?? null)})`, 'kind')];
  return [];
}

function defaultsErrors(d: SourceDocument): SpecError[] {
  const v = d.value;
  const at = (key: string | undefined, message: string): SpecError => {
    const p = d.locate([], key);
    return { file: d.file, line: p.line, col: p.col, path: key ?? '', message };
  };
  if (!isRecord(v)) return [at(undefined, 'defaults and overlays must be a mapping')];
  const allowed = new Set(['apiVersion', 'kind', 'metadata', 'spec']);
  return Object.keys(v)
    .filter((k) => !allowed.has(k))
    .map((k) => at(k, 'unknown field (defaults and overlays hold metadata and spec)'));
}

export function assemble(input: AssembleInput): AssembleResult {
  const errors: SpecError[] = [];
  const invalidFiles = new Set<string>();
  const fail = (e: SpecError, ...files: string[]): void => {
    errors.push(e);
    for (const f of files.length ? files : [e.file]) invalidFiles.add(f);
  };

  // Defaults: an error there isolates every agent, since every effective spec depends on it.
  let defaultsLayer: SourceDocument | undefined;
  let defaultsBroken = false;
  if (input.defaults) {
    input.defaults.errors.forEach((e) => fail(e));
    if (input.defaults.documents.length > 1) {
      const d = input.defaults.documents[1]!;
      fail({ file: d.file, line: d.line, col: 1, path: '', message: '_defaults.yaml holds one document' });
    }
    defaultsLayer = input.defaults.documents[0];
    // A file that does not parse has no value to check: its syntax errors say it all.
    if (defaultsLayer && input.defaults.errors.length === 0) defaultsErrors(defaultsLayer).forEach((e) => fail(e));
    defaultsBroken = invalidFiles.has(input.defaults.file);
  }
  for (const f of input.shared ?? []) {
    f.errors.forEach((e) => fail(e));
    if (f.errors.length > 0) defaultsBroken = true;
  }

  const candidates: Candidate[] = [];
  const seen = new Map<string, SourceDocument[]>();
  // Names read from documents that failed to parse: best effort, so that those agents show as
  // SpecInvalid (and keep their state) instead of looking deleted.
  const brokenNames = new Map<string, string>();
  const brokenHosts = new Map<string, string>();
  const hostDocs: { name: string | undefined; source: SourceDocument }[] = [];
  for (const file of input.files) {
    file.errors.forEach((e) => fail(e));
    for (const doc of file.documents) {
      const host = isHostDoc(doc.value ?? doc.partial);
      const recovered = doc.value === null ? nameOf(doc.partial) : undefined;
      if (recovered) (host ? brokenHosts : brokenNames).set(recovered, file.file);
      const name = nameOf(doc.value);
      if (name && !host) seen.set(name, [...(seen.get(name) ?? []), doc]);
      if (file.errors.length > 0) continue;
      const structural = structuralErrors(doc);
      if (structural.length > 0) {
        structural.forEach((e) => fail(e));
        continue;
      }
      if (host) hostDocs.push({ name, source: doc });
      else candidates.push({ name: name ?? '', source: doc });
    }
  }
  const checkedHosts = checkHosts(hostDocs, (e) => fail(e));

  for (const [name, docs] of seen) {
    if (docs.length < 2) continue;
    for (const d of docs) {
      const others = docs.filter((o) => o !== d).map((o) => `${o.file}:${o.line}`);
      const p = d.locate(['metadata', 'name']);
      fail({
        file: d.file,
        line: p.line,
        col: p.col,
        path: 'metadata.name',
        message: `duplicate agent name "${name}" (also at ${others.join(', ')})`,
      });
    }
  }

  for (const c of candidates) {
    const overlay = c.name ? input.overlays.get(c.name) : undefined;
    const layers: SourceDocument[] = [];
    if (defaultsLayer && !defaultsBroken) layers.push(defaultsLayer);
    layers.push(c.source);
    let overlayLayer: SourceDocument | undefined;
    if (overlay) {
      overlay.errors.forEach((e) => fail(e, overlay.file, c.source.file));
      const o = overlay.documents[0];
      if (o && overlay.errors.length === 0) {
        const oe = defaultsErrors(o);
        oe.forEach((e) => fail(e, overlay.file, c.source.file));
        if (oe.length === 0) overlayLayer = o;
      }
    }
    if (overlayLayer) layers.push(overlayLayer);
    const defaultsValue = layers[0] === defaultsLayer ? defaultsLayer?.value : undefined;
    const known = input.memo?.document(defaultsValue, c.source.value, overlayLayer?.value);
    if (known) {
      c.document = known;
      continue;
    }
    let merged: unknown = layers[0] === defaultsLayer ? structuredClone(defaultsLayer!.value) : {};
    merged = mergePatch.apply(merged, structuredClone(c.source.value));
    if (overlayLayer) merged = mergePatch.apply(merged, structuredClone(overlayLayer.value));
    const parsed = AgentDocument.safeParse(merged);
    if (!parsed.success) {
      for (const e of issueErrors(parsed.error.issues, layers, c.source, merged)) fail(e, e.file, c.source.file);
      continue;
    }
    c.document = parsed.data;
    if (!c.document.spec.workdir) c.document.spec.workdir = `~/agents/${c.name}`;
    input.memo?.rememberDocument(defaultsValue, c.source.value, overlayLayer?.value, c.document);
  }
  if (defaultsBroken) {
    for (const c of candidates) invalidFiles.add(c.source.file);
  }

  const valid = candidates.filter((c) => c.document && !invalidFiles.has(c.source.file));
  const known = new Set([...valid.map((c) => c.name), ...seen.keys()]);
  for (const c of valid) {
    c.document!.spec.dependsOn.forEach((dep, i) => {
      if (known.has(dep) && dep !== c.name) return;
      const p = c.source.locate(['spec', 'dependsOn', i]);
      const message = dep === c.name ? 'an agent cannot depend on itself' : `depends on unknown agent "${dep}"`;
      fail({ file: c.source.file, line: p.line, col: p.col, path: `spec.dependsOn[${i}]`, message });
    });
  }
  const hostNames = new Set([...checkedHosts.map((h) => h.name), ...brokenHosts.keys()]);
  for (const c of valid) checkHostRefs({ source: c.source, document: c.document! }, hostNames, fail);
  const graph = new Map(valid.map((c) => [c.name, c.document!.spec.dependsOn]));
  for (const cycle of findCycles(graph)) {
    for (const name of cycle.slice(0, -1)) {
      const c = valid.find((v) => v.name === name)!;
      const p = c.source.locate(['spec', 'dependsOn']);
      fail({
        file: c.source.file,
        line: p.line,
        col: p.col,
        path: 'spec.dependsOn',
        message: `dependency cycle: ${cycle.join(' -> ')}`,
      });
    }
  }

  sharedWorktreeErrors(valid.map((c) => ({ name: c.name, source: c.source, document: c.document! }))).forEach((e) =>
    fail(e),
  );

  const agents = new Map<string, AssembledAgent>();
  for (const c of valid) {
    if (invalidFiles.has(c.source.file)) continue;
    agents.set(c.name, { name: c.name, file: c.source.file, line: c.source.line, document: c.document! });
  }
  const invalidNames = new Map<string, string>();
  for (const [name, docs] of seen) {
    for (const d of docs) if (invalidFiles.has(d.file)) invalidNames.set(name, d.file);
  }
  for (const [name, file] of brokenNames)
    if (!agents.has(name) && !invalidNames.has(name)) invalidNames.set(name, file);
  const { hosts, invalidHosts } = settleHosts(checkedHosts, invalidFiles, brokenHosts);
  errors.sort(compareSpecErrors);
  return { agents, hosts, invalidHosts, errors: dedupe(errors), invalidFiles, invalidNames };
}

function dedupe(errors: SpecError[]): SpecError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.file}:${e.line}:${e.col}:${e.path}:${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
