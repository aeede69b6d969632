// Whether an agent's placement changed (pure): its record says where its incarnation is, its spec where it goes.
import type { AgentRecord } from '../../src/registry/record.js';
import type { DesiredAgent } from '../../src/spec/load.js';

export interface Move {
  /** Where the recorded incarnation is (absent: this machine). */
  from: string | undefined;
  /** Where the spec now places it. */
  to: string | undefined;
}

/** A move is due when the spec names another Host than the one the record's incarnation is on.
 * A suspended agent is not moved (suspension stops reconciling); an invalid spec has no
 * `desired` and so never moves anything. A change of runtime alone is a recreate, not a move. */
export function moveOf(
  desired: DesiredAgent | undefined,
  rec: Pick<AgentRecord, 'host' | 'suspended'> | undefined,
): Move | undefined {
  if (!desired || !rec || rec.suspended) return undefined;
  if (desired.remoteHost === rec.host) return undefined;
  return { from: rec.host, to: desired.remoteHost };
}

/** How a place is named in events and messages. */
export function placeName(host: string | undefined, self: string): string {
  return host ?? self;
}

/** Record fields of an incarnation that no longer exists where the record now points (mutates `rec`). */
export function placeOn(rec: AgentRecord, desired: DesiredAgent): void {
  rec.runtime = desired.spec.runtime;
  if (desired.remoteHost !== undefined) rec.host = desired.remoteHost;
  else delete rec.host;
  rec.handle = null;
  rec.startedAt = null;
  rec.health = null;
  rec.startup = null;
}

/** The message and Degraded condition while copies are fenced (pure). */
export function fenceNote(rec: Pick<AgentRecord, 'fenced'>, self: string): string | undefined {
  const f = rec.fenced ?? [];
  if (f.length === 0) return undefined;
  const where = f.map((c) => `${c.handle ?? 'a copy'} on ${placeName(c.host, self)}`).join(', ');
  return `fenced: ${where} did not answer when the agent moved; stopped as soon as it answers, never adopted`;
}
