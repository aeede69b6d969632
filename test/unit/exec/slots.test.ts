// Slots: at most N holders; a waiter gets the next free slot, or gives up at its deadline.
import { describe, expect, it } from 'vitest';
import { Slots } from '../../../src/exec/slots.js';

describe('Slots', () => {
  it('hands out N slots, then queues waiters in order', async () => {
    const s = new Slots(2);
    const far = Date.now() + 60_000;
    expect(await s.acquire(far)).toBe(true);
    expect(await s.acquire(far)).toBe(true);
    const order: number[] = [];
    const a = s.acquire(far).then((ok) => order.push(1) && ok);
    const b = s.acquire(far).then((ok) => order.push(2) && ok);
    s.release();
    s.release();
    expect(await Promise.all([a, b])).toEqual([true, true]);
    expect(order).toEqual([1, 2]);
  });

  it('gives up at the deadline and never takes a slot afterwards', async () => {
    const s = new Slots(1);
    expect(await s.acquire(Date.now() + 60_000)).toBe(true);
    expect(await s.acquire(Date.now() + 20)).toBe(false);
    s.release();
    expect(await s.acquire(Date.now())).toBe(true);
  });
});
