// A shared, coalescing view of each runtime: one observe call serves every reconcile waiting on it.
import type { RuntimeName } from '../spec/schema.js';
import type { Observation, Runtime } from '../runtime/types.js';

interface Flight {
  startedAt: number;
  promise: Promise<Observation>;
}

export class Observer {
  private readonly latest = new Map<RuntimeName, Observation>();
  private readonly current = new Map<RuntimeName, Flight>();
  private readonly next = new Map<RuntimeName, Promise<Observation>>();
  /** How many observe calls were made, per runtime. */
  readonly calls = new Map<RuntimeName, number>();

  constructor(
    private readonly runtimes: ReadonlyMap<RuntimeName, Runtime>,
    private readonly now: () => number = Date.now,
  ) {}

  runtime(name: RuntimeName): Runtime {
    const rt = this.runtimes.get(name);
    if (!rt) throw new Error(`runtime ${name} is not available`);
    return rt;
  }

  /** The newest observation, as long as it was taken at or after `notBefore` (epoch ms); otherwise
   * waits for one that is. Concurrent callers share the same call. */
  get(name: RuntimeName, notBefore = 0): Promise<Observation> {
    const have = this.latest.get(name);
    if (have && have.takenAt >= notBefore) return Promise.resolve(have);
    const cur = this.current.get(name);
    if (!cur) return this.launch(name);
    if (cur.startedAt >= notBefore) return cur.promise;
    let queued = this.next.get(name);
    if (!queued) {
      queued = cur.promise.catch(() => undefined).then(() => {
        this.next.delete(name);
        return this.launch(name);
      });
      this.next.set(name, queued);
    }
    return queued;
  }

  /** Forces a fresh observation (resync). */
  refresh(name: RuntimeName): Promise<Observation> {
    return this.get(name, this.now());
  }

  peek(name: RuntimeName): Observation | undefined {
    return this.latest.get(name);
  }

  private launch(name: RuntimeName): Promise<Observation> {
    const startedAt = this.now();
    this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
    const promise = this.runtime(name)
      .observe()
      .then((obs) => {
        const prev = this.latest.get(name);
        if (!prev || prev.takenAt <= obs.takenAt) this.latest.set(name, obs);
        return obs;
      })
      .finally(() => {
        if (this.current.get(name)?.promise === promise) this.current.delete(name);
      });
    this.current.set(name, { startedAt, promise });
    return promise;
  }
}
