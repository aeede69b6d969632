// What the agents' runtimes look like: one shared observation per runtime, and how fresh each agent needs it.
import { Observer } from '../../src/engine/observer.js';
import type { RuntimeSet } from '../../src/runtime/runtime-set.js';
import type { Observation, ObservedAgent } from '../../src/runtime/types.js';

export class Views {
  readonly observer: Observer<Observation>;
  /** Epoch ms after which each agent's next reconcile needs its view taken: set when its last
   * action finished, or when something outside (an exit file) says the world changed. */
  private readonly notBefore = new Map<string, number>();

  constructor(
    private readonly runtimes: RuntimeSet,
    private readonly now: () => number,
  ) {
    this.observer = new Observer((key) => runtimes.get(key).observe(), now);
  }

  /** The agent's next reconcile must not use a view taken before `at` (default now). */
  needFresh(name: string, at = this.now()): void {
    this.notBefore.set(name, Math.max(at, this.notBefore.get(name) ?? 0));
  }

  /** The observation of runtime `key`, fresh enough for agent `name`. */
  forAgent(key: string, name: string): Promise<Observation> {
    return this.observer.get(key, this.notBefore.get(name) ?? 0);
  }

  observed(key: string, name: string): ObservedAgent | undefined {
    return this.observer.peek(key)?.agents.get(name);
  }

  peek(key: string): Observation | undefined {
    return this.observer.peek(key);
  }

  refresh(key: string): Promise<Observation> {
    return this.observer.refresh(key);
  }

  /** Starts observing every runtime in `keys` at once: each key's own promise, so a caller can
   * wait for some without waiting for all (a hung host holds up nobody). */
  observeAll(keys: readonly string[]): Map<string, Promise<Observation | Error>> {
    return new Map(
      keys
        .filter((k) => this.runtimes.has(k))
        .map((k) => [k, this.observer.refresh(k).catch((err: unknown) => err as Error)]),
    );
  }
}
