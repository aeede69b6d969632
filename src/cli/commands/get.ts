// agentctl get: status of every agent (or the named or selected ones) as a table, wide table, JSON, YAML or names; -w keeps printing changes.
import type { StatusItem } from '../../../controllers/agent/status-items.js';
import { statusNow } from '../status-now.js';
import { createContext, type GlobalOptions } from '../context.js';
import { ExitError } from '../exit.js';
import { FieldSelectorError, matchesFields, parseFieldSelector, type FieldRequirement } from '../field-selector.js';
import { document, FORMATS, headOf, nameLine, tableRow, type GetFormat } from '../get-view.js';
import { selectAgents } from '../select-agents.js';
import { missingFolderText } from '../specs-notice.js';
import { loadStatus } from '../status-load.js';
import { stdoutPaint } from '../tty/colour.js';
import { columnWidths, formatRows } from '../tty/columns.js';

export interface GetOptions {
  format: GetFormat;
  headers: boolean;
  selector?: string | undefined;
  /** --field-selector, parsed. */
  fields: FieldRequirement[];
  watch: boolean;
}

function fieldsOf(v: unknown): FieldRequirement[] {
  if (typeof v !== 'string') return [];
  try {
    return parseFieldSelector(v);
  } catch (err) {
    if (err instanceof FieldSelectorError) throw new ExitError(2, err.message);
    throw err;
  }
}

export function getOptions(opts: Record<string, unknown>): GetOptions {
  const format = FORMATS.find((f) => f === opts.output) ?? 'table';
  return {
    format,
    headers: opts.headers !== false,
    selector: typeof opts.selector === 'string' ? opts.selector : undefined,
    fields: fieldsOf(opts.fieldSelector),
    watch: opts.watch === true,
  };
}

/** Prints a listing; returns the column widths a watcher aligns its rows to. */
export function printListing(
  items: readonly StatusItem[],
  o: GetOptions,
  now: number,
  emptyText: string | null,
): number[] {
  const p = stdoutPaint();
  switch (o.format) {
    case 'json':
    case 'yaml':
      process.stdout.write(document(items, o.format));
      return [];
    case 'name':
      for (const i of items) process.stdout.write(`${nameLine(i)}\n`);
      return [];
    default: {
      const rows = items.map((i) => tableRow(i, o.format as 'table' | 'wide', now, p));
      const all = o.headers ? [headOf(o.format), ...rows] : rows;
      if (items.length === 0 && emptyText !== null) process.stdout.write(`${emptyText}\n`);
      else process.stdout.write(formatRows(all));
      return columnWidths(all.length > 0 ? all : [headOf(o.format)]);
    }
  }
}

/** `get hosts [NAME...]` and `get agents [NAME...]` name the kind first, as kubectl does; a
 * bare `get [NAME...]` is agents. */
export async function get(g: GlobalOptions, args: string[], opts: Record<string, unknown>): Promise<void> {
  const [kind, ...rest] = args;
  if (kind === 'hosts' || kind === 'host') return (await import('./get-hosts.js')).getHosts(g, rest, opts);
  return getAgents(g, kind === 'agents' || kind === 'agent' ? rest : args, opts);
}

async function getAgents(g: GlobalOptions, names: string[], opts: Record<string, unknown>): Promise<void> {
  const o = getOptions(opts);
  const ctx = createContext(g);
  const { specs, records } = await loadStatus(ctx);
  const picked = selectAgents(specs, records, { names, selector: o.selector });
  const wanted = new Set(picked.names);
  const items = (await statusNow(ctx, specs, records)).filter((i) => wanted.has(i.name) && matchesFields(o.fields, i));
  if (!specs.exists && items.length === 0) process.stderr.write(`agentctl: ${missingFolderText(ctx.specsDir)}\n`);
  const empty = names.length === 0 && !o.watch ? 'No agents.' : null;
  if (o.watch && (o.format === 'json' || o.format === 'yaml')) {
    const { printEvents } = await import('../get-watch.js');
    printEvents(
      items.map((item) => ({ type: 'ADDED', item })),
      o,
      [],
    );
  }
  const widths =
    o.watch && (o.format === 'json' || o.format === 'yaml') ? [] : printListing(items, o, Date.now(), empty);
  if (picked.unknown.length > 0) throw new ExitError(1, `unknown agent(s): ${picked.unknown.join(', ')}`);
  if (o.watch) {
    const { watchAgents } = await import('../get-watch.js');
    await watchAgents(ctx, { ...o, names, initial: items, widths });
  }
}
