// What `get` prints of each agent, in every output format, and what counts as a change for -w (pure).
import { visibleText } from './visible.js';
import { stringify } from 'yaml';
import type { StatusItem } from '../../controllers/agent/status-items.js';
import { shortHash } from '../spec/hash.js';
import { age } from './table.js';
import type { Paint } from './tty/colour.js';

export const FORMATS = ['table', 'wide', 'json', 'yaml', 'name'] as const;
export type GetFormat = (typeof FORMATS)[number];

/** The `get -o json` item: the contract's fields (DESIGN §6), then the extensions. */
export function contractFields(i: StatusItem): Record<string, unknown> {
  return {
    name: i.name,
    runtime: i.runtime,
    desiredState: i.desiredState,
    phase: i.phase,
    ready: i.ready,
    restarts: i.restarts,
    specHash: i.specHash,
    source: i.source,
    handle: i.handle,
    conditions: i.conditions,
    message: i.message,
    upToDate: i.upToDate,
    lastExit: i.lastExit,
    startedAt: i.startedAt,
    host: i.host,
    details: i.details,
    ...(i.claude ? { claude: i.claude } : {}),
    listen: i.listen,
    extensions: i.extensions,
  };
}

/** Dollars as Claude Code's status line gives them: cents under a dollar would show most costs as
 * $0.00, so four decimals below $1, two from $1; `-` when unknown. */
export function costText(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd) || usd < 0) return '-';
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

/** ACTIVITY (with what it waits for), MODEL, CONTEXT, COST (of the session, from its status line),
 * ACTIVE (since the last transcript line), SESSION (its first 8 characters). */
function claudeColumns(i: StatusItem, now: number): string[] {
  const c = i.claude;
  if (!c) return ['-', '-', '-', '-', '-', '-'];
  return [
    c.waitingFor ? `${c.activity}(${c.waitingFor})` : c.activity,
    c.model ?? '-',
    c.contextPercent !== null ? `${Math.round(c.contextPercent)}%` : '-',
    costText(c.costUsd),
    c.lastActivity ? age(Date.parse(c.lastActivity), now) : '-',
    c.sessionId?.slice(0, 8) ?? '-',
  ];
}

export const TABLE_HEAD = ['NAME', 'RUNTIME', 'DESIRED', 'PHASE', 'READY', 'RESTARTS', 'AGE'];
export const WIDE_HEAD = [
  ...TABLE_HEAD,
  'LAST EXIT',
  'HOST',
  'NODE/JOB',
  'ACTIVITY',
  'MODEL',
  'CONTEXT',
  'COST',
  'ACTIVE',
  'SESSION',
  'HASH',
  'MESSAGE',
];

export function headOf(format: 'table' | 'wide'): string[] {
  return format === 'wide' ? WIDE_HEAD : TABLE_HEAD;
}

export function tableRow(i: StatusItem, format: 'table' | 'wide', now: number, p: Paint): string[] {
  const base = [
    i.name,
    i.runtime,
    i.desiredState,
    p.phase(i.phase, i.ready),
    i.ready ? 'True' : 'False',
    String(i.restarts),
    age(i.startedAt ? Date.parse(i.startedAt) : null, now),
  ];
  if (format === 'table') return base;
  return [
    ...base,
    i.lastExit?.replace(/ at .*$/, '') ?? '-',
    i.host,
    i.details.jobId ? `${i.details.node ?? '-'}/${i.details.jobId} ${i.details.state ?? ''}`.trim() : '-',
    ...claudeColumns(i, now),
    `${shortHash(i.specHash)}${i.upToDate || !i.specHash ? '' : '*'}`,
    visibleText(i.message.slice(0, 80)),
  ];
}

/** `agent/NAME`, as kubectl's `-o name` (completion strips the prefix). */
export const nameLine = (i: Pick<StatusItem, 'name'>): string => `agent/${i.name}`;

export function document(items: readonly StatusItem[], format: 'json' | 'yaml'): string {
  const doc = { items: items.map(contractFields) };
  return format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc);
}

/** What a watcher compares: everything printed except the age, which changes every second. */
export function changeKey(i: StatusItem, format: GetFormat): string {
  if (format === 'name') return i.name;
  if (format === 'table' || format === 'wide') {
    const row = tableRow(i, format, 0, { on: false, style: (_, t) => t, phase: (ph) => ph, action: (a) => a });
    return JSON.stringify([...row.slice(0, 6), ...row.slice(7), i.startedAt]);
  }
  const { conditions, ...rest } = contractFields(i);
  // A condition's transition time alone is not a change worth a line.
  return JSON.stringify({
    ...rest,
    conditions: (conditions as StatusItem['conditions']).map(({ type, status, reason, message }) => ({
      type,
      status,
      reason,
      message,
    })),
  });
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  item: StatusItem;
}

/** The events between two listings (pure): new names, changed keys, names gone. */
export function watchEvents(
  before: ReadonlyMap<string, { key: string; item: StatusItem }>,
  after: readonly StatusItem[],
  format: GetFormat,
): WatchEvent[] {
  const out: WatchEvent[] = [];
  const seen = new Set<string>();
  for (const item of after) {
    seen.add(item.name);
    const prev = before.get(item.name);
    if (!prev) out.push({ type: 'ADDED', item });
    else if (prev.key !== changeKey(item, format)) out.push({ type: 'MODIFIED', item });
  }
  for (const [name, prev] of before) if (!seen.has(name)) out.push({ type: 'DELETED', item: prev.item });
  return out;
}
