// The controller's /api/events stream as the bench sees it: each agent's latest item, and when a
// change to it arrived, so a section can wait for a status without spawning `agentctl get`.
import { request, type IncomingMessage } from 'node:http';
import { createServer } from 'node:net';

/** What the bench reads of an item (the stream sends the whole `get -o json` item). */
export interface StreamItem {
  name: string;
  ready: boolean;
  phase: string;
  claude?: { activity: string; activitySince: string | null } | undefined;
}

/** An agent's activity (or the moment it began) as the stream changed it. */
export interface ActivityChange {
  name: string;
  activity: string;
  /** performance.now() when the frame arrived. */
  at: number;
}

interface Waiter {
  pred: (items: ReadonlyMap<string, StreamItem>) => boolean;
  resolve: (at: number) => void;
}

/** A free loopback port for --http-addr: one the kernel hands out, then released. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a !== null && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export class FleetEvents {
  readonly items = new Map<string, StreamItem>();
  /** Every change of an agent's activity or activitySince after the first snapshot. */
  readonly changes: ActivityChange[] = [];
  private readonly waiters = new Set<Waiter>();
  private res: IncomingMessage | undefined;
  private buf = '';

  private constructor() {}

  /** Connects to http://127.0.0.1:PORT/api/events and resolves at the first snapshot. Retries
   * until `timeoutMs` while the controller's server is not listening yet. */
  static async open(port: number, timeoutMs: number): Promise<FleetEvents> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const f = new FleetEvents();
      try {
        await f.connect(port);
        return f;
      } catch (err) {
        if (performance.now() > deadline) throw new Error(`no /api/events on port ${port}: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  private connect(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/events', headers: { Accept: 'text/event-stream' } });
      req.once('error', reject);
      req.once('response', (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`HTTP ${res.statusCode ?? '?'}`));
          return;
        }
        this.res = res;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const at = performance.now();
          this.buf += chunk;
          let i: number;
          while ((i = this.buf.indexOf('\n\n')) >= 0) {
            const frame = this.buf.slice(0, i);
            this.buf = this.buf.slice(i + 2);
            if (this.take(frame, at)) resolve();
          }
        });
      });
      req.end();
    });
  }

  /** Folds one SSE frame in; true for a snapshot. */
  private take(frame: string, at: number): boolean {
    let event = '';
    let data = '';
    for (const line of frame.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (event === 'snapshot') {
      const body = JSON.parse(data) as { items: StreamItem[] };
      this.items.clear();
      for (const it of body.items) this.items.set(it.name, it);
    } else if (event === 'change') {
      const body = JSON.parse(data) as { upsert: StreamItem[]; delete: string[] };
      for (const it of body.upsert) {
        const was = this.items.get(it.name)?.claude;
        const now = it.claude;
        if (now && (was?.activity !== now.activity || was.activitySince !== now.activitySince))
          this.changes.push({ name: it.name, activity: now.activity, at });
        this.items.set(it.name, it);
      }
      for (const n of body.delete) this.items.delete(n);
    } else return false;
    for (const w of this.waiters) {
      if (w.pred(this.items)) {
        this.waiters.delete(w);
        w.resolve(at);
      }
    }
    return event === 'snapshot';
  }

  /** Resolves with the moment (performance.now()) the items first satisfied `pred`: now when they
   * already do. */
  waitFor(pred: (items: ReadonlyMap<string, StreamItem>) => boolean, timeoutMs: number, what: string): Promise<number> {
    if (pred(this.items)) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const w: Waiter = { pred, resolve: (at) => (clearTimeout(t), resolve(at)) };
      const t = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`/api/events: not ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(w);
    });
  }

  activityOf(name: string): string | undefined {
    return this.items.get(name)?.claude?.activity;
  }

  close(): void {
    this.res?.destroy();
  }
}
