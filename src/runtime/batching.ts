// Coalesces start and stop calls that arrive together into one batched runtime call.
import type { BatchResult, KeyStep, Runtime, StartRequest, StopRequest } from './types.js';

interface Waiter {
  count: number;
  resolve: (r: BatchResult) => void;
  reject: (e: unknown) => void;
}

interface Pending<T> {
  items: T[];
  waiters: Waiter[];
  quiet?: NodeJS.Timeout;
  cap?: NodeJS.Timeout;
}

/** How a large batch is cut: into about this many chunks, each at least `minChunk` items, with
 * at most two in flight. Each submitter is answered when its own chunk is done, so the caller's
 * work after a start (the registry write, with its fsync) overlaps the runtime's work on the next
 * chunk instead of waiting for the whole batch; the second chunk in flight has its files written
 * while the first is with tmux. */
export interface ChunkPolicy {
  chunks: number;
  minChunk: number;
}

// A batch of up to 250 stays one call (one tmux client: few subprocesses for a small fleet).
const DEFAULT_CHUNKS: ChunkPolicy = { chunks: 6, minChunk: 250 };
const IN_FLIGHT = 2;

/** Splits waiters (each with its own items, kept together) into chunks of about `size` items (pure). */
export function chunkWaiters<W extends { count: number }>(waiters: readonly W[], size: number): W[][] {
  const out: W[][] = [];
  let cur: W[] = [];
  let n = 0;
  for (const w of waiters) {
    cur.push(w);
    n += w.count;
    if (n >= size) {
      out.push(cur);
      cur = [];
      n = 0;
    }
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

class Coalescer<T> {
  private pending: Pending<T> | undefined;

  constructor(
    private readonly flushFn: (items: T[]) => Promise<BatchResult>,
    private readonly quietMs: number,
    private readonly maxWaitMs: number,
    private readonly policy: ChunkPolicy,
  ) {}

  submit(items: T[]): Promise<BatchResult> {
    if (items.length === 0) return Promise.resolve(new Map());
    const p = (this.pending ??= { items: [], waiters: [] });
    p.items.push(...items);
    if (p.quiet) clearTimeout(p.quiet);
    p.quiet = setTimeout(() => this.flush(p), this.quietMs);
    p.cap ??= setTimeout(() => this.flush(p), this.maxWaitMs);
    return new Promise((resolve, reject) => p.waiters.push({ count: items.length, resolve, reject }));
  }

  private flush(p: Pending<T>): void {
    if (this.pending !== p) return;
    this.pending = undefined;
    clearTimeout(p.quiet);
    clearTimeout(p.cap);
    const size = Math.max(this.policy.minChunk, Math.ceil(p.items.length / this.policy.chunks));
    const groups = chunkWaiters(p.waiters, size);
    let offset = 0;
    const chunks = groups.map((ws) => {
      const n = ws.reduce((a, w) => a + w.count, 0);
      const chunk = { waiters: ws, items: p.items.slice(offset, offset + n) };
      offset += n;
      return chunk;
    });
    let next = 0;
    const runOne = (): void => {
      const c = chunks[next++];
      if (!c) return;
      this.flushFn(c.items)
        .then(
          (r) => c.waiters.forEach((w) => w.resolve(r)),
          (e) => c.waiters.forEach((w) => w.reject(e)),
        )
        .finally(runOne);
    };
    for (let i = 0; i < IN_FLIGHT; i++) runOne();
  }
}

/** Wraps a runtime so that starts (and stops) issued within a few milliseconds of each other,
 * by different reconciles, go out as one call: for tmux, one chained client process. */
export function batching(rt: Runtime, quietMs = 3, maxWaitMs = 25, policy: ChunkPolicy = DEFAULT_CHUNKS): Runtime {
  const starts = new Coalescer<StartRequest>((items) => rt.start(items), quietMs, maxWaitMs, policy);
  const stops = new Coalescer<StopRequest>((items) => rt.stop(items), quietMs, maxWaitMs, policy);
  const typing = rt.sendKeysMany ? typingCoalescer(rt.sendKeysMany.bind(rt), quietMs, maxWaitMs, policy) : undefined;
  return {
    name: rt.name,
    capabilities: rt.capabilities,
    observe: () => rt.observe(),
    start: (reqs) => starts.submit(reqs),
    stop: (reqs) => stops.submit(reqs),
    exitOf: (n, h) => rt.exitOf(n, h),
    logs: (n, l) => rt.logs(n, l),
    attach: (n) => rt.attach(n),
    ...(rt.sendKeys ? { sendKeys: rt.sendKeys.bind(rt) } : {}),
    ...(rt.sendKeysMany ? { sendKeysMany: rt.sendKeysMany.bind(rt) } : {}),
    ...(typing ? { sendKeys: typing } : {}),
    ...(rt.capture ? { capture: rt.capture.bind(rt) } : {}),
    ...(rt.serverAlive ? { serverAlive: rt.serverAlive } : {}),
    ...(rt.sweep ? { sweep: rt.sweep.bind(rt) } : {}),
    ...(rt.follow ? { follow: rt.follow.bind(rt) } : {}),
    ...(rt.outputMarks ? { outputMarks: rt.outputMarks.bind(rt) } : {}),
  };
}

type SendMany = (batch: ReadonlyMap<string, readonly KeyStep[]>) => Promise<Map<string, Error>>;

/** Key steps for different agents issued within a few milliseconds (each reconcile typing its
 * own start-up answer, say) go out in one chained client. Two for the same agent keep their order. */
function typingCoalescer(
  sendMany: SendMany,
  quietMs: number,
  maxWaitMs: number,
  policy: ChunkPolicy,
): (name: string, steps: readonly KeyStep[]) => Promise<void> {
  const c = new Coalescer<{ name: string; steps: readonly KeyStep[] }>(
    async (items) => {
      const batch = new Map<string, KeyStep[]>();
      for (const { name, steps } of items) batch.set(name, [...(batch.get(name) ?? []), ...steps]);
      const failed = await sendMany(batch);
      return new Map(items.map(({ name }) => [name, { error: failed.get(name) }]));
    },
    quietMs,
    maxWaitMs,
    policy,
  );
  return async (name, steps) => {
    const error = (await c.submit([{ name, steps }])).get(name)?.error;
    if (error) throw error;
  };
}
