// Coalesces start and stop calls that arrive together into one batched runtime call.
import type { BatchResult, Runtime, StartRequest, StopRequest } from './types.js';

interface Pending<T> {
  items: T[];
  waiters: { resolve: (r: BatchResult) => void; reject: (e: unknown) => void }[];
  quiet?: NodeJS.Timeout;
  cap?: NodeJS.Timeout;
}

class Coalescer<T> {
  private pending: Pending<T> | undefined;

  constructor(
    private readonly flushFn: (items: T[]) => Promise<BatchResult>,
    private readonly quietMs: number,
    private readonly maxWaitMs: number,
  ) {}

  submit(items: T[]): Promise<BatchResult> {
    if (items.length === 0) return Promise.resolve(new Map());
    const p = (this.pending ??= { items: [], waiters: [] });
    p.items.push(...items);
    if (p.quiet) clearTimeout(p.quiet);
    p.quiet = setTimeout(() => this.flush(p), this.quietMs);
    p.cap ??= setTimeout(() => this.flush(p), this.maxWaitMs);
    return new Promise((resolve, reject) => p.waiters.push({ resolve, reject }));
  }

  private flush(p: Pending<T>): void {
    if (this.pending !== p) return;
    this.pending = undefined;
    clearTimeout(p.quiet);
    clearTimeout(p.cap);
    this.flushFn(p.items).then(
      (r) => p.waiters.forEach((w) => w.resolve(r)),
      (e) => p.waiters.forEach((w) => w.reject(e)),
    );
  }
}

/** Wraps a runtime so that starts (and stops) issued within a few milliseconds of each other,
 * by different reconciles, go out as one call: for tmux, one chained client process. */
export function batching(rt: Runtime, quietMs = 3, maxWaitMs = 25): Runtime {
  const starts = new Coalescer<StartRequest>((items) => rt.start(items), quietMs, maxWaitMs);
  const stops = new Coalescer<StopRequest>((items) => rt.stop(items), quietMs, maxWaitMs);
  return {
    name: rt.name,
    observe: () => rt.observe(),
    start: (reqs) => starts.submit(reqs),
    stop: (reqs) => stops.submit(reqs),
    exitOf: (n, h) => rt.exitOf(n, h),
    logs: (n, l) => rt.logs(n, l),
    attach: (n) => rt.attach(n),
    ...(rt.sendKeys ? { sendKeys: rt.sendKeys.bind(rt) } : {}),
    ...(rt.capture ? { capture: rt.capture.bind(rt) } : {}),
    ...(rt.serverAlive ? { serverAlive: rt.serverAlive } : {}),
    ...(rt.sweep ? { sweep: rt.sweep.bind(rt) } : {}),
  };
}
