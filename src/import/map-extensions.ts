// Maps what the older tool declared but did not run: spec.listen, spec.extensions, the A2A card
// and A2A endpoint; and marks the spec as imported.
import { Listen } from '../spec/schema.js';
import type { OldApiVersion } from './old-format.js';
import type { Notes } from './notes.js';
import { asText, child, isMap } from './values.js';

/** The extensions key that marks a spec written by agentctl import. src/hooks/env.ts gives the
 * hooks of such specs the older tool's SCITEX_AGENT_CONTAINER_* variables (same string there). */
export const IMPORTED_EXTENSION = 'scitex-agent-container';

export interface NewListen {
  port: number;
  proto?: 'tcp' | 'udp';
  name?: string;
}

export function mapListen(old: unknown, notes: Notes): NewListen[] | undefined {
  if (!Array.isArray(old)) {
    notes.notMapped('spec.listen', old, 'not a list');
    return undefined;
  }
  const out: NewListen[] = [];
  old.forEach((item, i) => {
    const path = child('spec.listen', i);
    if (!isMap(item)) return notes.notMapped(path, item, 'not a map');
    const proto = item.proto === undefined ? 'tcp' : asText(item.proto);
    if (proto === 'unix') return notes.notMapped(path, item, 'agentctl declares tcp and udp ports only');
    const port = typeof item.port === 'string' && /^\d+$/.test(item.port) ? Number(item.port) : item.port;
    const entry: NewListen = { port: port as number, ...(proto !== 'tcp' ? { proto: proto as 'udp' } : {}) };
    const name = asText(item.name);
    if (name) entry.name = name;
    if (!Listen.safeParse(entry).success) return notes.notMapped(path, item, 'a port 1-65535 over tcp or udp');
    for (const key of Object.keys(item))
      if (!['port', 'proto', 'name', 'path'].includes(key)) notes.notMapped(child(path, key), item[key]);
    out.push(entry);
  });
  return out.length > 0 ? out : undefined;
}

/** spec.extensions passed through, plus `a2a-card` and `a2a` (kept for whoever reads status) and
 * the import mark with where the spec came from. */
export function mapExtensions(
  s: Record<string, unknown>,
  source: { file: string; apiVersion: OldApiVersion },
  notes: Notes,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.extensions !== undefined) {
    if (isMap(s.extensions)) Object.assign(out, s.extensions);
    else notes.notMapped('spec.extensions', s.extensions, 'not a map');
  }
  // `a2a: {port: null}` switched the endpoint off: nothing to keep.
  const a2aOff = isMap(s.a2a) && s.a2a.port === null;
  for (const key of ['a2a-card', 'a2a'] as const) {
    if (s[key] === undefined || s[key] === null || (key === 'a2a' && a2aOff)) continue;
    if (key in out) notes.notMapped(`spec.${key}`, s[key], `spec.extensions.${key} wins`);
    else out[key] = s[key];
  }
  if (s.a2a !== undefined && s.a2a !== null && !a2aOff)
    notes.add('a2a: agentctl does not run the A2A endpoint; kept in extensions', ['spec', 'extensions', 'a2a']);
  out[IMPORTED_EXTENSION] = { importedFrom: source.file, apiVersion: source.apiVersion };
  return out;
}
