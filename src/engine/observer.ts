// A shared, coalescing cache of observations by key: one call serves every reconcile waiting on it.

interface Flight<T> {
  startedAt: number;
  promise: Promise<T>;
}

export class Observer<T extends { takenAt: number }> {
  private readonly latest = new Map<string, T>();
  private readonly current = new Map<string, Flight<T>>();
  private readonly next = new Map<string, Promise<T>>();
  /** How many observe calls were made, per key. */
  readonly calls = new Map<string, number>();

  constructor(
    private readonly source: (key: string) => Promise<T>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The newest observation, as long as it was taken at or after `notBefore` (epoch ms); otherwise
   * waits for one that is. Concurrent callers share the same call. */
  get(key: string, notBefore = 0): Promise<T> {
    const have = this.latest.get(key);
    if (have && have.takenAt >= notBefore) return Promise.resolve(have);
    const cur = this.current.get(key);
    if (!cur) return this.launch(key);
    if (cur.startedAt >= notBefore) return cur.promise;
    let queued = this.next.get(key);
    if (!queued) {
      queued = cur.promise
        .catch(() => undefined)
        .then(() => {
          this.next.delete(key);
          return this.launch(key);
        });
      this.next.set(key, queued);
    }
    return queued;
  }

  /** Forces a fresh observation (resync). */
  refresh(key: string): Promise<T> {
    return this.get(key, this.now());
  }

  /** Keys being observed right now, with how long each call has been waiting (ms). */
  inFlight(): Map<string, number> {
    return new Map([...this.current].map(([k, f]) => [k, this.now() - f.startedAt]));
  }

  peek(key: string): T | undefined {
    return this.latest.get(key);
  }

  /** Forgets the cached observation (it failed, or its source is gone). */
  invalidate(key: string): void {
    this.latest.delete(key);
  }

  private launch(key: string): Promise<T> {
    const startedAt = this.now();
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    const promise = this.source(key)
      .then(
        (obs) => {
          const prev = this.latest.get(key);
          if (!prev || prev.takenAt <= obs.takenAt) this.latest.set(key, obs);
          return obs;
        },
        (err: unknown) => {
          // A failed observation is not "nothing there": drop the old one so nobody acts on it.
          this.latest.delete(key);
          throw err;
        },
      )
      .finally(() => {
        if (this.current.get(key)?.promise === promise) this.current.delete(key);
      });
    this.current.set(key, { startedAt, promise });
    return promise;
  }
}
