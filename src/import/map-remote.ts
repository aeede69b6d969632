// Maps where the older tool ran an agent (v2 spec.remote over SSH, v3 spec.host) to spec.host.
//
// agentctl drives an agent over SSH when its spec.host names a Host document with `ssh`
// (DESIGN §9.1). import writes Agent documents only: the Host to add is spelled out in a note,
// because several imported agents usually share one host and it must be defined once.
import { HostPath, NAME_PATTERN } from '../spec/schema.js';
import { sanitiseName } from './map-metadata.js';
import type { Notes } from './notes.js';
import { asText, child, isMap, isStringList } from './values.js';

/** The spec.host value, or undefined (runs where the controller runs). */
export function mapRemote(old: unknown, notes: Notes): string | undefined {
  if (old === null || old === undefined || old === '') return undefined;
  let ssh: Record<string, unknown>;
  if (typeof old === 'string') ssh = { host: old.trim() };
  else if (isStringList(old) && old.length > 0) {
    // A chain of SSH aliases: the last is the host, the ones before are jumps.
    ssh = { host: old[old.length - 1], ...(old.length > 1 ? { jump: old.slice(0, -1) } : {}) };
  } else if (isMap(old)) ssh = fromMap(old, notes);
  else {
    notes.notMapped('spec.remote', old, 'a host, a list of SSH hops, or {host, user, key, port}');
    return undefined;
  }
  const host = asText(ssh.host);
  if (!host) {
    notes.notMapped('spec.remote', old, 'no host');
    return undefined;
  }
  const name = NAME_PATTERN.test(host) ? host : sanitiseName(host);
  notes.add(
    `remote ${host}: define it once beside the agents, as {apiVersion: agentctl/v1, kind: Host, metadata: {name: ${name}}, spec: {ssh: ${flow(ssh)}}}`,
    ['spec', 'host'],
  );
  return name;
}

function fromMap(m: Record<string, unknown>, notes: Notes): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(m)) {
    const path = child('spec.remote', key);
    if (key === 'host' || key === 'user') {
      const text = asText(value);
      if (text) out[key] = text;
      else if (value !== '') notes.notMapped(path, value, 'not a string');
    } else if (key === 'port') {
      if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536) {
        if (value !== 22) out.port = value;
      } else notes.notMapped(path, value, 'not a port');
    } else if (key === 'key') {
      if (value === '') continue;
      if (HostPath.safeParse(value).success) out.identityFile = value;
      else notes.notMapped(path, value, 'must be absolute or start with ~/');
    } else if (key === 'login_shell' || key === 'no_preflight')
      notes.notMapped(path, value, 'agentctl runs its own commands over SSH, without a login shell');
    else notes.notMapped(path, value);
  }
  return out;
}

/** v3 spec.host: a machine name, or a list tried in order; `local` and ${HOSTNAME} meant here. */
export function mapPlacement(host: unknown, hosts: unknown, notes: Notes): string | undefined {
  if (hosts !== undefined && hosts !== '' && !(Array.isArray(hosts) && hosts.length === 0)) {
    notes.notMapped('spec.hosts', hosts, 'one agent per host: import it once per host, each with its own spec.host');
  }
  const first = Array.isArray(host) ? host[0] : host;
  if (Array.isArray(host) && host.length > 1)
    notes.notMapped(
      'spec.host',
      host.slice(1),
      `fallback hosts: agentctl places an agent on one host (${String(first)})`,
    );
  if (first === undefined || first === null || first === '') return undefined;
  const text = asText(first);
  if (text === undefined) {
    notes.notMapped('spec.host', host, 'not a host name');
    return undefined;
  }
  if (text === 'local' || /\$\{?HOSTNAME\}?/.test(text)) {
    notes.add(`host ${text} meant the machine that started the agent: no spec.host, any controller runs it`);
    return undefined;
  }
  // The controller started with this --host runs it (or the Host document of that name).
  return text;
}

function flow(m: Record<string, unknown>): string {
  return `{${Object.entries(m)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`)
    .join(', ')}}`;
}
