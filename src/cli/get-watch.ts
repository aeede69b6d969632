// get -w: prints each agent whose row changes, as it changes, until interrupted.
//
// It watches the registry folder (every reconcile that changes an agent rewrites its record there),
// reading back only the records that changed, and reloads the specs and every record every two
// seconds as a safety net (and for specs no controller has reconciled yet). The registry is read
// rather than the controller's /api/events stream: it is the one source `get` shows, it works
// with no controller, with `--once` and with requests carried out without one, and it needs no
// address or token.
import { watch } from 'chokidar';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { stringify } from 'yaml';
import { matchesFields } from './field-selector.js';
import { statusItems, type StatusItem } from '../../controllers/agent/status-items.js';
import type { AgentRecord } from '../registry/record.js';
import { Registry } from '../registry/store.js';
import type { SpecSet } from '../spec/load.js';
import type { Context } from './context.js';
import { changeKey, contractFields, nameLine, tableRow, watchEvents, type WatchEvent } from './get-view.js';
import type { GetOptions } from './commands/get.js';
import { selectAgents } from './select-agents.js';
import { loadStatus } from './status-load.js';
import { quietOnClosedPipe, sleep, untilInterrupted } from './stdout.js';
import { stdoutPaint } from './tty/colour.js';
import { formatRow } from './tty/columns.js';

const FULL_RELOAD_MS = 2000;
const DEBOUNCE_MS = 100;

export interface WatchOptions extends GetOptions {
  names: readonly string[];
  initial: readonly StatusItem[];
  widths: readonly number[];
}

export function printEvents(events: readonly WatchEvent[], o: GetOptions, widths: readonly number[]): void {
  const p = stdoutPaint();
  const now = Date.now();
  for (const e of events) {
    const item = e.type === 'DELETED' ? { ...e.item, phase: 'Deleted', ready: false } : e.item;
    switch (o.format) {
      case 'json':
        process.stdout.write(`${JSON.stringify({ type: e.type, object: contractFields(e.item) })}\n`);
        break;
      case 'yaml':
        process.stdout.write(`---\n${stringify({ type: e.type, object: contractFields(e.item) })}`);
        break;
      case 'name':
        process.stdout.write(`${nameLine(item)}\n`);
        break;
      default:
        process.stdout.write(`${formatRow(tableRow(item, o.format, now, p), widths)}\n`);
    }
  }
}

export async function watchAgents(ctx: Context, o: WatchOptions): Promise<void> {
  quietOnClosedPipe();
  const signal = untilInterrupted();
  const registry = new Registry(ctx.stateDir);
  let shown = new Map(o.initial.map((i) => [i.name, { key: changeKey(i, o.format), item: i }]));
  let { specs, records }: { specs: SpecSet; records: Map<string, AgentRecord> } = await loadStatus(ctx);
  const dirty = new Set<string>();
  let wake: () => void = () => undefined;
  const onFile = (path: string): void => {
    if (!path.endsWith('.json')) return;
    dirty.add(basename(path, '.json'));
    wake();
  };
  // chokidar waits for a folder that does not exist yet; the full reloads cover that time.
  const watcher = existsSync(registry.dir) ? watch(registry.dir, { ignoreInitial: true, depth: 0 }) : undefined;
  watcher?.on('add', onFile).on('change', onFile).on('unlink', onFile);
  let lastFull = Date.now();
  try {
    while (!signal.aborted) {
      await new Promise<void>((res) => {
        wake = res;
        void sleep(FULL_RELOAD_MS - (Date.now() - lastFull), signal).then(res);
      });
      if (signal.aborted) break;
      await sleep(DEBOUNCE_MS, signal);
      if (Date.now() - lastFull >= FULL_RELOAD_MS) {
        ({ specs, records } = await loadStatus(ctx));
        lastFull = Date.now();
        dirty.clear();
      } else {
        const names = [...dirty];
        dirty.clear();
        for (const n of names) {
          const rec = await registry.load(n);
          if (rec) records.set(n, rec);
          else records.delete(n);
        }
      }
      const picked = new Set(selectAgents(specs, records, { names: o.names, selector: o.selector }).names);
      const items = statusItems(specs, records, ctx.host).filter(
        (i) => picked.has(i.name) && matchesFields(o.fields, i),
      );
      const events = watchEvents(shown, items, o.format);
      if (events.length === 0) continue;
      printEvents(events, o, o.widths);
      shown = new Map(items.map((i) => [i.name, { key: changeKey(i, o.format), item: i }]));
    }
  } finally {
    await watcher?.close();
  }
}
