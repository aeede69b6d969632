// The session event source: ticks the hub while any agent needs its terminal read, and enqueues the agents it wakes.
import type { SessionHub } from './hub.js';

/** How often panes are read while an agent is starting up. */
export const PANE_TICK_MS = 250;

export interface Ticker {
  /** Something changed that a tick reads (a hook wrote a line): tick now, or right after the tick
   * in flight. */
  poke(): void;
  /** Stops ticking and waits for a tick in flight. */
  stop(): Promise<void>;
}

/** Runs `hub.tick()` whenever it is due — every `tickMs` while a pane is watched, at the next
 * transcript poll otherwise, not at all while nothing is watched — and hands what it wakes to
 * `enqueue`. Ticks never overlap: one batch of reads at a time. */
export function startTicker(
  hub: SessionHub,
  enqueue: (name: string) => void,
  tickMs = PANE_TICK_MS,
  now: () => number = Date.now,
): Ticker {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  let inFlight: Promise<void> | undefined;
  let lastTickAt = 0;
  /** A poke arrived during a tick: that tick may have read before the change. */
  let poked = false;

  const schedule = (): void => {
    if (stopped || inFlight) return;
    const at = poked ? now() : hub.nextTickAt(lastTickAt, tickMs);
    if (at === undefined) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      timerAt = Infinity;
      return;
    }
    if (timer && timerAt <= at) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(run, Math.max(0, at - now()));
    timer.unref();
  };

  const run = (): void => {
    timer = undefined;
    timerAt = Infinity;
    poked = false;
    inFlight = (async () => {
      try {
        for (const name of await hub.tick()) if (!stopped) enqueue(name);
      } catch {
        // The hub reports its own read errors; a tick that failed is simply the next one's job.
      } finally {
        lastTickAt = now();
        inFlight = undefined;
        schedule();
      }
    })();
  };

  hub.onChange = schedule;
  schedule();
  return {
    poke() {
      if (stopped || hub.size === 0) return;
      poked = true;
      schedule();
    },
    async stop() {
      stopped = true;
      hub.onChange = () => undefined;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
