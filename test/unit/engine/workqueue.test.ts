// The work queue's client-go semantics, driven by a fake clock: dedup, exclusivity, delays, rate limits, shutdown.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMIT, MAX_TIMER_MS, WorkQueue, type Clock } from '../../../src/engine/workqueue.js';

class FakeClock implements Clock {
  t = 0;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Moves time forward, firing due timers in time order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.timers.entries()]
        .filter(([, v]) => v.at <= end)
        .sort(([ia, a], [ib, b]) => a.at - b.at || ia - ib)[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
  }
  get pending(): number {
    return this.timers.size;
  }
}

/** Resolves with what a get() returned, or 'pending' if it has not returned yet. */
async function settle<T>(p: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), 0))]);
}

/** Takes everything queued right now, in order (without waiting). */
async function drain(q: WorkQueue): Promise<string[]> {
  const out: string[] = [];
  while (q.length > 0) out.push((await q.get())!);
  return out;
}

const make = (random: () => number = () => 0): { q: WorkQueue; clock: FakeClock } => {
  const clock = new FakeClock();
  return { q: new WorkQueue(clock, DEFAULT_RATE_LIMIT, {}, random), clock };
};

describe('dedup', () => {
  it('a key added many times is queued once, in first-add order', async () => {
    const { q } = make();
    for (const k of ['a', 'b', 'a', 'c', 'b', 'a']) q.add(k);
    expect(q.length).toBe(3);
    expect(await drain(q)).toEqual(['a', 'b', 'c']);
  });

  it('once taken, the key can be added again (it is no longer dirty)', async () => {
    const { q } = make();
    q.add('a');
    expect(await q.get()).toBe('a');
    q.done('a');
    q.add('a');
    expect(q.length).toBe(1);
  });
});

describe('a key is never processed twice at once', () => {
  it('an add during processing is held back, and queued once when done', async () => {
    const { q } = make();
    q.add('a');
    expect(await q.get()).toBe('a');
    q.add('a');
    q.add('a');
    expect(q.length).toBe(0);
    const second = q.get();
    expect(await settle(second)).toBe('pending');
    q.done('a');
    expect(await second).toBe('a');
    q.done('a');
    expect(q.length).toBe(0);
    expect(q.isIdle()).toBe(true);
  });

  it('a second worker gets other keys while one key is processing', async () => {
    const { q } = make();
    q.add('a');
    expect(await q.get()).toBe('a');
    const w2 = q.get();
    q.add('a');
    expect(await settle(w2)).toBe('pending');
    q.add('b');
    expect(await w2).toBe('b');
    expect(q.busy).toBe(2);
    q.done('b');
    q.done('a');
    expect(await q.get()).toBe('a');
  });

  it('a waiting worker is handed a new key at once', async () => {
    const { q } = make();
    const w = q.get();
    expect(await settle(w)).toBe('pending');
    q.add('x');
    expect(await w).toBe('x');
    expect(q.busy).toBe(1);
    expect(q.length).toBe(0);
  });

  it('done without a re-add does not requeue', async () => {
    const { q } = make();
    q.add('a');
    await q.get();
    q.done('a');
    expect(q.length).toBe(0);
    expect(q.isIdle()).toBe(true);
  });
});

describe('addAfter', () => {
  it('caps a delay no timer can hold (1e10 s of a spec) at 2^31-1 ms instead of firing at once', () => {
    const { q, clock } = make();
    q.addAfter('a', 1e13);
    clock.advance(1000);
    expect(q.length).toBe(0);
    expect(q.pendingDelays().get('a')).toBe(MAX_TIMER_MS);
    clock.advance(MAX_TIMER_MS);
    expect(q.length).toBe(1);
  });

  it('a NaN delay adds at once rather than never', () => {
    const { q } = make();
    q.addAfter('a', Number.NaN);
    expect(q.length).toBe(1);
  });

  it('adds the key when the delay is over, not before', () => {
    const { q, clock } = make();
    q.addAfter('a', 5000);
    clock.advance(4999);
    expect(q.length).toBe(0);
    clock.advance(1);
    expect(q.length).toBe(1);
  });

  it('of several delays for a key, the earliest wins (a later one does not push it back)', () => {
    const { q, clock } = make();
    q.addAfter('a', 1000);
    q.addAfter('a', 5000);
    expect(q.pendingDelays()).toEqual(new Map([['a', 1000]]));
    clock.advance(1000);
    expect(q.length).toBe(1);
    void q.get();
    q.done('a');
    clock.advance(10_000);
    expect(q.length).toBe(0);
  });

  it('an earlier delay replaces a later one', () => {
    const { q, clock } = make();
    q.addAfter('a', 5000);
    q.addAfter('a', 1000);
    expect(q.pendingDelays()).toEqual(new Map([['a', 1000]]));
    expect(clock.pending).toBe(1);
    clock.advance(1000);
    expect(q.length).toBe(1);
    void q.get();
    q.done('a');
    clock.advance(10_000);
    expect(q.length).toBe(0);
  });

  it('a zero or negative delay adds at once', () => {
    const { q } = make();
    q.addAfter('a', 0);
    q.addAfter('b', -5);
    expect(q.length).toBe(2);
  });

  it('a delayed add for a key being processed queues it after done', async () => {
    const { q, clock } = make();
    q.add('a');
    await q.get();
    q.addAfter('a', 100);
    clock.advance(100);
    expect(q.length).toBe(0);
    q.done('a');
    expect(await q.get()).toBe('a');
  });

  it('delays for different keys are independent', () => {
    const { q, clock } = make();
    q.addAfter('a', 300);
    q.addAfter('b', 100);
    q.addAfter('c', 200);
    clock.advance(150);
    expect(q.length).toBe(1);
    clock.advance(200);
    expect(q.length).toBe(3);
  });
});

describe('rate-limited requeues', () => {
  it('grow 1 s, 2 s, 4 s … and cap at 5 min (no jitter)', () => {
    const { q } = make(() => 0);
    const delays = Array.from({ length: 12 }, () => q.addRateLimited('a'));
    expect(delays).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000,
    ]);
    expect(q.numRequeues('a')).toBe(12);
  });

  it('jitter adds at most 10% on top, never less than the base delay', () => {
    const { q } = make(Math.random);
    for (let n = 0; n < 40; n++) {
      const base = Math.min(1000 * 2 ** Math.min(n, 30), 300_000);
      const d = q.addRateLimited('a');
      expect(d).toBeGreaterThanOrEqual(base);
      expect(d).toBeLessThanOrEqual(Math.round(base * 1.1));
    }
  });

  it.each([
    [0, 1000],
    [0.5, 1050],
    [0.999, 1100],
  ])('random %d gives %d ms for the first retry', (r, ms) => {
    const { q } = make(() => r);
    expect(q.addRateLimited('a')).toBe(ms);
  });

  it('the key is really added after the returned delay', () => {
    const { q, clock } = make(() => 0);
    q.addRateLimited('a');
    q.addRateLimited('a');
    // The second (2 s) does not push back the first (1 s): earliest wins.
    clock.advance(999);
    expect(q.length).toBe(0);
    clock.advance(1);
    expect(q.length).toBe(1);
  });

  it('forget resets the growth; counts are per key', () => {
    const { q } = make(() => 0);
    q.addRateLimited('a');
    q.addRateLimited('a');
    q.addRateLimited('b');
    expect(q.addRateLimited('a')).toBe(4000);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
    expect(q.addRateLimited('a')).toBe(1000);
    expect(q.addRateLimited('b')).toBe(2000);
  });
});

describe('shutdown', () => {
  it('releases waiting workers with undefined, and later gets return undefined', async () => {
    const { q } = make();
    const w1 = q.get();
    const w2 = q.get();
    q.shutDown();
    expect(await w1).toBeUndefined();
    expect(await w2).toBeUndefined();
    expect(await q.get()).toBeUndefined();
  });

  it('takes no new work: adds, delayed adds and rate-limited adds are dropped', () => {
    const { q, clock } = make();
    q.addAfter('late', 100);
    q.shutDown();
    q.add('a');
    q.addAfter('b', 10);
    q.addRateLimited('c');
    clock.advance(1_000_000);
    expect(q.length).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('an in-flight key finishes, but is not requeued by an add made during it', async () => {
    const { q } = make();
    q.add('a');
    await q.get();
    q.add('a');
    q.shutDown();
    q.done('a');
    expect(q.length).toBe(0);
    expect(q.isIdle()).toBe(true);
    expect(await q.get()).toBeUndefined();
  });
});

describe('metrics hooks', () => {
  it('report adds, depth, retries, queue wait and work time', async () => {
    const clock = new FakeClock();
    const seen: string[] = [];
    const q = new WorkQueue(
      clock,
      DEFAULT_RATE_LIMIT,
      {
        add: (k) => seen.push(`add ${k}`),
        depth: (n) => seen.push(`depth ${n}`),
        retry: (k) => seen.push(`retry ${k}`),
        queued: (s) => seen.push(`queued ${s}`),
        worked: (s) => seen.push(`worked ${s}`),
      },
      () => 0,
    );
    q.add('a');
    q.add('a');
    clock.advance(1500);
    await q.get();
    clock.advance(250);
    q.done('a');
    q.addRateLimited('a');
    expect(seen).toEqual(['add a', 'depth 1', 'depth 0', 'queued 1.5', 'worked 0.25', 'retry a']);
  });
});
