// A work queue with client-go semantics: dedup, no concurrent same key, delayed and rate-limited adds.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface QueueMetrics {
  add?(key: string): void;
  depth?(n: number): void;
  retry?(key: string): void;
  /** Seconds an item waited between add and get. */
  queued?(seconds: number): void;
  /** Seconds between get and done. */
  worked?(seconds: number): void;
}

export interface RateLimit {
  baseMs: number;
  maxMs: number;
  /** Fraction of jitter added on top (0.1 = up to +10%). */
  jitter: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { baseMs: 1000, maxMs: 300_000, jitter: 0.1 };

/** The longest delay a Node timer holds. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly addedAt = new Map<string, number>();
  private readonly startedAt = new Map<string, number>();
  private readonly delayed = new Map<string, { at: number; timer: unknown }>();
  private readonly failures = new Map<string, number>();
  private readonly waiters: ((key: string | undefined) => void)[] = [];
  private shuttingDown = false;

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly limit: RateLimit = DEFAULT_RATE_LIMIT,
    private readonly metrics: QueueMetrics = {},
    private readonly random: () => number = Math.random,
  ) {}

  /** Marks the key dirty. A key already queued is not queued twice; a key being processed is
   * queued again once its processing is done. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.metrics.add?.(key);
    this.dirty.add(key);
    this.addedAt.set(key, this.clock.now());
    if (this.processing.has(key)) return;
    this.push(key);
  }

  private push(key: string): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      this.take(key);
      waiter(key);
      return;
    }
    this.queue.push(key);
    this.metrics.depth?.(this.queue.length);
  }

  /** Adds the key after a delay; of several pending delays for a key the earliest wins. A delay
   * beyond what a timer can hold (2³¹ ms, ~24.8 days; Node fires longer ones after 1 ms) is
   * capped: the key is then looked at once in 24 days, which re-plans the rest. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (!(ms > 0)) return this.add(key);
    ms = Math.min(ms, MAX_TIMER_MS);
    const at = this.clock.now() + ms;
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) return;
    if (existing) this.clock.clearTimeout(existing.timer);
    const timer = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, timer });
  }

  /** Requeues after this key's next backoff delay: base doubling per failure, capped, jittered. */
  addRateLimited(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const delay = Math.min(this.limit.baseMs * 2 ** Math.min(n, 30), this.limit.maxMs);
    const jittered = Math.round(delay * (1 + this.limit.jitter * this.random()));
    this.metrics.retry?.(key);
    this.addAfter(key, jittered);
    return jittered;
  }

  /** Clears the failure count of a key (after a successful reconcile). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  private take(key: string): void {
    this.dirty.delete(key);
    this.processing.add(key);
    const now = this.clock.now();
    const added = this.addedAt.get(key);
    if (added !== undefined) this.metrics.queued?.((now - added) / 1000);
    this.addedAt.delete(key);
    this.startedAt.set(key, now);
  }

  /** The next key to process, waiting for one; undefined once shut down and drained. */
  get(): Promise<string | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) {
      this.metrics.depth?.(this.queue.length);
      this.take(key);
      return Promise.resolve(key);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Ends processing of a key; if it was added meanwhile, it is queued again now. */
  done(key: string): void {
    this.processing.delete(key);
    const started = this.startedAt.get(key);
    if (started !== undefined) this.metrics.worked?.((this.clock.now() - started) / 1000);
    this.startedAt.delete(key);
    if (this.dirty.has(key) && !this.shuttingDown) this.push(key);
  }

  get length(): number {
    return this.queue.length;
  }

  get busy(): number {
    return this.processing.size;
  }

  /** Keys waiting for a delayed add, with when. */
  pendingDelays(): Map<string, number> {
    return new Map([...this.delayed].map(([k, v]) => [k, v.at]));
  }

  isIdle(): boolean {
    return this.queue.length === 0 && this.processing.size === 0;
  }

  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) this.clock.clearTimeout(timer);
    this.delayed.clear();
    this.queue.length = 0;
    this.dirty.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}
