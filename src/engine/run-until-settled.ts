// `--once` as a client of the controller: enqueue keys, run until each has settled or the deadline passes.
import type { Controller } from './controller.js';
import type { KeyStatus } from './reconciler.js';

export interface SettleOptions {
  keys: ReadonlySet<string>;
  deadlineMs: number;
  /** A key whose reconcile keeps failing counts as settled (failed) after this many tries. */
  maxFailures: number;
  /** Aborts the wait early (a signal from the command line). */
  signal?: AbortSignal;
}

export interface SettleSummary {
  /** The last status of every key (absent: never processed). */
  statuses: Map<string, KeyStatus>;
  timedOut: boolean;
  aborted: boolean;
}

/** Keys count as settled on their latest status only: a key that settled and was processed
 * again (a dependency woke it) must settle again. */
export async function runUntilSettled(c: Controller, o: SettleOptions): Promise<SettleSummary> {
  const statuses = new Map<string, KeyStatus>();
  const settled = new Set<string>();
  let timedOut = false;
  let aborted = false;
  await new Promise<void>((resolve) => {
    const done = (_k: string, s: KeyStatus): boolean =>
      s.settled || s.terminal || (s.error !== undefined && s.failures >= o.maxFailures);
    const off = c.onProcessed((key, s) => {
      if (!o.keys.has(key)) return;
      statuses.set(key, s);
      if (done(key, s)) settled.add(key);
      else settled.delete(key);
      if (settled.size >= o.keys.size) finish();
    });
    const timer = setTimeout(
      () => {
        timedOut = true;
        finish();
      },
      Math.max(0, o.deadlineMs - Date.now()),
    );
    const onAbort = (): void => {
      aborted = true;
      finish();
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    function finish(): void {
      clearTimeout(timer);
      off();
      o.signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    if (o.keys.size === 0 || o.signal?.aborted) {
      aborted = o.signal?.aborted === true;
      finish();
      return;
    }
    c.enqueueAll(o.keys);
    c.start();
  });
  await c.stop();
  return { statuses, timedOut, aborted };
}
