// What `get` and `describe` show when no controller keeps the records current: each recorded
// status checked against what runs now, and agents on an unreachable Host shown Unknown (pure).
import type { StatusItem } from '../../controllers/agent/status-items.js';
import type { HostStatus } from '../hosts/host-status-file.js';
import type { AgentRecord, Condition } from '../registry/record.js';
import type { ObservedAgent } from '../runtime/types.js';
import { shortDuration } from '../http/merge-events.js';

/** What one runtime showed now: its agents, or why it could not be asked; absent: not asked. */
export type Looked = { agents: ReadonlyMap<string, ObservedAgent> } | { error: string };

export interface LiveInput {
  items: readonly StatusItem[];
  records: ReadonlyMap<string, AgentRecord>;
  /** A controller (or a `reconcile --once`) holds the state dir's lock: records are current. */
  controllerRuns: boolean;
  /** By runtime key (`tmux`, `slurm`, `tmux@gpu1`), for agents whose runtime was looked at. */
  looked: ReadonlyMap<string, Looked>;
  /** The runtime key each agent lives in. */
  keyOf: (name: string) => string | undefined;
  hosts: ReadonlyMap<string, HostStatus>;
  now: number;
}

const LIVE = new Set(['Running', 'Pending']);

function notReady(conditions: readonly Condition[], message: string, now: number): Condition[] {
  const rest = conditions.filter((c) => c.type !== 'Ready');
  const was = conditions.find((c) => c.type === 'Ready');
  const t =
    was?.status === 'False' && was.reason === 'NotRunning' ? was.lastTransitionTime : new Date(now).toISOString();
  return [...rest, { type: 'Ready', status: 'False', reason: 'NotRunning', message, lastTransitionTime: t }];
}

/** An agent whose spec places it on a Host the last look found unreachable, never reconciled
 * (the record is written only once something was done): Unknown, with the host's fix. */
function unreachableHost(i: StatusItem, hosts: ReadonlyMap<string, HostStatus>): StatusItem | null {
  const h = hosts.get(i.host);
  if (!h || h.reachable !== false || i.message !== 'not reconciled yet') return null;
  const message = `host ${h.name} unreachable: ${h.fix ?? h.message ?? h.reason ?? 'no answer'}`;
  return { ...i, phase: 'Unknown', ready: false, message };
}

function checked(i: StatusItem, r: AgentRecord, look: Looked | undefined, now: number): StatusItem {
  const recorded = `recorded ${i.phase} ${shortDuration(Math.max(0, now - r.updatedAt))} ago`;
  if (look === undefined || 'error' in look) {
    const why = look === undefined ? 'not looked at' : `cannot look: ${look.error}`;
    return { ...i, message: `${i.message ? `${i.message}; ` : ''}no controller runs: ${recorded} (${why})` };
  }
  const o = look.agents.get(i.name);
  if (o && o.handle === r.handle && o.alive) return i;
  const what =
    !o || o.handle !== r.handle
      ? 'its session is gone'
      : `it exited${o.exit?.code !== null && o.exit?.code !== undefined ? ` with code ${o.exit.code}` : ''}`;
  const message = `not running: ${what} and no controller runs to restart it (${recorded}; run agentctl reconcile)`;
  return { ...i, phase: 'Pending', ready: false, message, conditions: notReady(i.conditions, message, now) };
}

/** The items as they stand now. With a controller running they are the records as is. */
export function liveStatus(input: LiveInput): StatusItem[] {
  return input.items.map((i) => {
    const host = unreachableHost(i, input.hosts);
    if (host) return host;
    const r = input.records.get(i.name);
    if (input.controllerRuns || !r || !LIVE.has(i.phase) || r.handle === null) return i;
    const key = input.keyOf(i.name);
    return checked(i, r, key === undefined ? undefined : input.looked.get(key), input.now);
  });
}
