// The session ticker: ticks when the hub says they are due, and at once when poked (a hook wrote a line).
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionHub } from '../../../../../controllers/agent/session/hub.js';
import { startTicker, type Ticker } from '../../../../../controllers/agent/session/ticker.js';

/** A hub whose next tick is `everyMs` after the last, counting its ticks. */
function fakeHub(everyMs: number, tickMs = 0) {
  const hub = {
    ticks: [] as number[],
    size: 1,
    onChange: () => undefined as void,
    nextTickAt: (last: number) => last + everyMs,
    async tick() {
      hub.ticks.push(Date.now());
      if (tickMs) await new Promise((r) => setTimeout(r, tickMs));
      return new Set<string>();
    },
  };
  return hub;
}

const tickers: Ticker[] = [];
afterEach(async () => Promise.all(tickers.splice(0).map((t) => t.stop())));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('session ticker', () => {
  it('a poke ticks at once instead of at the next due time', async () => {
    const hub = fakeHub(60_000);
    const t = startTicker(hub as unknown as SessionHub, () => undefined);
    tickers.push(t);
    await sleep(50); // the first tick (due at once: nothing was read yet)
    const before = hub.ticks.length;
    const at = Date.now();
    t.poke();
    await sleep(100);
    expect(hub.ticks.length).toBe(before + 1);
    expect(hub.ticks.at(-1)! - at).toBeLessThan(60_000);
  });

  it('a poke during a tick gives one more tick right after it, never two at once', async () => {
    const hub = fakeHub(60_000, 80);
    const t = startTicker(hub as unknown as SessionHub, () => undefined);
    tickers.push(t);
    await sleep(20); // inside the first tick
    t.poke();
    t.poke();
    await sleep(300);
    expect(hub.ticks).toHaveLength(2);
    expect(hub.ticks[1]! - hub.ticks[0]!).toBeGreaterThanOrEqual(75);
  });

  it('a poke with nothing watched, or after stop, does nothing', async () => {
    const hub = fakeHub(60_000);
    hub.size = 0;
    hub.nextTickAt = () => undefined as unknown as number;
    const t = startTicker(hub as unknown as SessionHub, () => undefined);
    t.poke();
    await sleep(50);
    expect(hub.ticks).toHaveLength(0);
    hub.size = 1;
    await t.stop();
    t.poke();
    await sleep(50);
    expect(hub.ticks).toHaveLength(0);
  });
});
