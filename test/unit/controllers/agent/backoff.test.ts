// Crash-loop backoff: the delay schedule (10 s doubling to 300 s) and the reset after a stable run.
import { describe, expect, it } from 'vitest';
import { backoffDelaySeconds, nextCrashCount } from '../../../../controllers/agent/backoff.js';
import { Backoff } from '../../../../src/spec/schema.js';

const DEFAULT = Backoff.parse({});

describe('backoffDelaySeconds', () => {
  it('defaults to 10 s initial, 300 s max, 600 s reset', () => {
    expect(DEFAULT).toEqual({ initialSeconds: 10, maxSeconds: 300, resetAfterSeconds: 600 });
  });

  it.each([
    [1, 10],
    [2, 20],
    [3, 40],
    [4, 80],
    [5, 160],
    [6, 300],
    [7, 300],
    [50, 300],
    [10_000, 300],
  ])('exit %i in a row waits %i s', (n, seconds) => {
    expect(backoffDelaySeconds(n, DEFAULT)).toBe(seconds);
  });

  it('has no delay before any exit', () => {
    expect(backoffDelaySeconds(0, DEFAULT)).toBe(0);
  });

  it.each([
    [{ initialSeconds: 1, maxSeconds: 5, resetAfterSeconds: 60 }, [1, 2, 4, 5, 5]],
    [{ initialSeconds: 3, maxSeconds: 3, resetAfterSeconds: 60 }, [3, 3, 3, 3, 3]],
    [{ initialSeconds: 0.5, maxSeconds: 300, resetAfterSeconds: 60 }, [0.5, 1, 2, 4, 8]],
  ])('follows spec.backoff %j', (b, schedule) => {
    expect(schedule.map((_, i) => backoffDelaySeconds(i + 1, b))).toEqual(schedule);
  });
});

describe('nextCrashCount', () => {
  const started = 1_000_000;
  it.each([
    { case: 'first exit after a short run', previous: 0, ranMs: 5_000, next: 1 },
    { case: 'exits in a row keep counting', previous: 4, ranMs: 5_000, next: 5 },
    { case: 'just short of resetAfterSeconds still counts', previous: 4, ranMs: 599_999, next: 5 },
    { case: 'resetAfterSeconds of stable running starts over', previous: 4, ranMs: 600_000, next: 1 },
    { case: 'a long run starts over', previous: 9, ranMs: 3_600_000, next: 1 },
  ])('$case', ({ previous, ranMs, next }) => {
    expect(nextCrashCount(previous, started, started + ranMs, DEFAULT)).toBe(next);
  });

  it('counts on when the start time is unknown', () => {
    expect(nextCrashCount(2, null, started, DEFAULT)).toBe(3);
  });

  it('honours a custom resetAfterSeconds', () => {
    const b = { initialSeconds: 10, maxSeconds: 300, resetAfterSeconds: 30 };
    expect(nextCrashCount(6, started, started + 29_999, b)).toBe(7);
    expect(nextCrashCount(6, started, started + 30_000, b)).toBe(1);
  });

  it('a crash loop then a stable run: the schedule resumes at the initial delay', () => {
    let count = 0;
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      count = nextCrashCount(count, started, started + 1_000, DEFAULT);
      delays.push(backoffDelaySeconds(count, DEFAULT));
    }
    expect(delays).toEqual([10, 20, 40, 80, 160, 300, 300]);
    count = nextCrashCount(count, started, started + 600_000, DEFAULT);
    expect(backoffDelaySeconds(count, DEFAULT)).toBe(10);
  });
});
