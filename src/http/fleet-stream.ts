// /api/events: server-sent events of the fleet, a snapshot on connect and then only what changed.
import type { ServerResponse } from 'node:http';
import type { AgentItem, FleetSource } from './fleet-source.js';

export interface StreamOptions {
  /** A comment line this often keeps proxies from closing an idle stream; also a full re-check. */
  keepAliveMs: number;
  /** Changes arriving within this window go out as one event. */
  flushMs: number;
  /** A client that has not taken data for this long is disconnected (its browser reconnects and
   * gets a fresh snapshot). */
  stallMs: number;
}

interface Client {
  res: ServerResponse;
  /** Set while the socket is full: nothing more is written until it drains. */
  blockedSince: number | null;
  /** Names that changed while blocked: bounded by the fleet's size, never by time. */
  missed: Set<string>;
}

const frame = (event: string, json: string): string => `event: ${event}\ndata: ${json}\n\n`;

export class FleetStream {
  private readonly clients = new Set<Client>();
  /** JSON of each item as last sent; kept only while someone is connected. */
  private readonly sent = new Map<string, string>();
  private dirty: Set<string> | 'all' = new Set();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly tick: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly source: FleetSource,
    private readonly o: StreamOptions,
  ) {
    this.unsubscribe = source.subscribe((names) => this.notify(names));
    this.tick = setInterval(() => this.onTick(), o.keepAliveMs);
    this.tick.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** The most bytes waiting in the server for any one client (bounded: nothing is written to a
   * client whose socket is full). */
  get maxBuffered(): number {
    let max = 0;
    for (const c of this.clients) max = Math.max(max, c.res.writableLength);
    return max;
  }

  open(res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    this.sync('all');
    const client: Client = { res, blockedSince: null, missed: new Set() };
    this.clients.add(client);
    res.on('close', () => {
      this.clients.delete(client);
      if (this.clients.size === 0) this.sent.clear();
    });
    this.write(client, `retry: 2000\n\n${this.snapshotFrame()}`);
  }

  notify(names: readonly string[] | null): void {
    if (this.clients.size === 0) return;
    if (names === null) this.dirty = 'all';
    else if (this.dirty !== 'all') for (const n of names) this.dirty.add(n);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const dirty = this.dirty;
      this.dirty = new Set();
      this.sync(dirty);
    }, this.o.flushMs);
  }

  close(): void {
    clearInterval(this.tick);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.unsubscribe();
    for (const c of this.clients) c.res.end();
    this.clients.clear();
    this.sent.clear();
  }

  /** Re-reads the given items (or all), and sends each client what differs from what was sent. */
  private sync(names: Set<string> | 'all'): void {
    if (this.clients.size === 0 && this.sent.size > 0) this.sent.clear();
    const changed: string[] = [];
    const look = (name: string, item: AgentItem | undefined): void => {
      const json = item === undefined ? undefined : JSON.stringify(item);
      if (json === this.sent.get(name)) return;
      if (json === undefined) this.sent.delete(name);
      else this.sent.set(name, json);
      changed.push(name);
    };
    if (names === 'all') {
      const items = this.source.items();
      const present = new Set<string>();
      for (const i of items) {
        present.add(i.name);
        look(i.name, i);
      }
      for (const n of [...this.sent.keys()]) if (!present.has(n)) look(n, undefined);
    } else {
      for (const n of names) look(n, this.source.item(n));
    }
    if (changed.length === 0) return;
    for (const c of this.clients) {
      if (c.blockedSince !== null) {
        for (const n of changed) c.missed.add(n);
      } else this.write(c, this.changeFrame(changed));
    }
  }

  private snapshotFrame(): string {
    const names = [...this.sent.keys()].sort();
    return frame('snapshot', `{"items":[${names.map((n) => this.sent.get(n)).join(',')}]}`);
  }

  private changeFrame(names: Iterable<string>): string {
    const upsert: string[] = [];
    const removed: string[] = [];
    for (const n of names) {
      const json = this.sent.get(n);
      if (json === undefined) removed.push(n);
      else upsert.push(json);
    }
    return frame('change', `{"upsert":[${upsert.join(',')}],"delete":${JSON.stringify(removed)}}`);
  }

  private write(c: Client, text: string): void {
    if (c.res.destroyed) return;
    if (c.res.write(text)) return;
    c.blockedSince = Date.now();
    c.res.once('drain', () => {
      c.blockedSince = null;
      const missed = c.missed;
      c.missed = new Set();
      if (missed.size > 0) this.write(c, this.changeFrame(missed));
    });
  }

  private onTick(): void {
    if (this.clients.size === 0) return;
    const now = Date.now();
    for (const c of this.clients) {
      if (c.blockedSince === null) this.write(c, ': keep-alive\n\n');
      else if (now - c.blockedSince > this.o.stallMs) c.res.destroy();
    }
    // A safety net for a change nobody announced: costs one pass over the fleet per tick.
    this.sync('all');
  }
}
