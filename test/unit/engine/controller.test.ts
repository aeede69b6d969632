// The generic loop's contract with a reconciler: a signal per reconcile (deadline, stop) and TerminalError.
import { afterEach, describe, expect, it } from 'vitest';
import { Controller } from '../../../src/engine/controller.js';
import { AbortedReconcile, TerminalError, type Reconciler } from '../../../src/engine/reconciler.js';
import type { KeyStatus } from '../../../src/engine/reconciler.js';

const running: Controller[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});

/** A controller with `reconcile`, and the statuses it reports, in order. */
function controller(reconcile: Reconciler, deadlineMs?: number) {
  const statuses: { key: string; status: KeyStatus }[] = [];
  const c = new Controller({
    reconcile,
    concurrency: 2,
    ...(deadlineMs !== undefined ? { deadlineMs } : {}),
    onProcessed: (key, status) => statuses.push({ key, status }),
  });
  running.push(c);
  c.start();
  return { c, statuses };
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** Resolves when the signal aborts, with its reason. */
const aborted = (signal: AbortSignal) =>
  new Promise<unknown>((res) => signal.addEventListener('abort', () => res(signal.reason), { once: true }));

describe('engine controller', () => {
  it("aborts a reconcile's signal at its deadline, and the error names it", async () => {
    const reasons: unknown[] = [];
    const { c, statuses } = controller(async (_key, signal) => {
      reasons.push(await aborted(signal));
      signal.throwIfAborted();
      return { settled: true };
    }, 40);
    c.enqueue('a');
    await until(() => statuses.length > 0);
    expect(reasons[0]).toBeInstanceOf(AbortedReconcile);
    expect(statuses[0]!.status.error).toBe('reconcile of a passed its deadline of 40 ms');
    expect(statuses[0]!.status.terminal).toBe(false);
  });

  it('a reconcile that ends in time never sees its signal abort', async () => {
    let signal: AbortSignal | undefined;
    const { c, statuses } = controller((_key, s) => {
      signal = s;
      return Promise.resolve({ settled: true });
    }, 40);
    c.enqueue('a');
    await until(() => statuses.length > 0);
    await new Promise((r) => setTimeout(r, 80));
    expect(signal?.aborted).toBe(false);
    expect(statuses[0]!.status).toEqual({ settled: true, failures: 0, terminal: false });
  });

  it('stop() aborts the signals of reconciles in flight and waits for them', async () => {
    const seen: unknown[] = [];
    let started = false;
    const { c } = controller(async (_key, signal) => {
      started = true;
      seen.push(await aborted(signal));
      return { settled: true };
    });
    c.enqueue('a');
    await until(() => started);
    await c.stop();
    expect(seen).toHaveLength(1);
    expect((seen[0] as Error).message).toBe('the controller is stopping');
  });

  it('a TerminalError is reported once and not retried; another error is retried', async () => {
    const calls = new Map<string, number>();
    const { c, statuses } = controller((key) => {
      calls.set(key, (calls.get(key) ?? 0) + 1);
      return Promise.reject(key === 't' ? new TerminalError('name taken') : new Error('busy'));
    });
    c.enqueue('t');
    c.enqueue('r');
    // The retried key comes back after the queue's first backoff (about a second).
    await until(() => (calls.get('r') ?? 0) >= 2, 5000);
    expect(calls.get('t')).toBe(1);
    const t = statuses.filter((s) => s.key === 't');
    expect(t).toEqual([{ key: 't', status: { settled: false, error: 'name taken', failures: 1, terminal: true } }]);
    expect(statuses.find((s) => s.key === 'r')?.status.terminal).toBe(false);
  });
});
