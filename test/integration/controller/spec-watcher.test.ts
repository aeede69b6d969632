// The spec watcher on a real folder with real chokidar: one reload per burst, even when the loop stalls.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { SpecWatcher } from '../../../src/engine/spec-watcher.js';
import { removeTree } from '../../helpers/remove-tree.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function watched(): Promise<{ dir: string; fires: number[]; t0: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'agentctl-watch-'));
  writeFileSync(join(dir, 'a.yaml'), 'n: 0\n');
  const fires: number[] = [];
  const t0 = Date.now();
  // The cap is out of the way: these tests are about the quiet time alone.
  const w = new SpecWatcher(dir, () => fires.push(Date.now() - t0), pino({ level: 'silent' }), {
    maxWaitMs: 20_000,
    burstMaxWaitMs: 20_000,
  });
  await w.start();
  // What chokidar reports of the folder's own creation just before start is not these tests' business.
  await sleep(300);
  fires.length = 0;
  cleanup = async () => {
    await w.close();
    removeTree(dir);
  };
  return { dir, fires, t0 };
}

describe('SpecWatcher', () => {
  it('a single edit reloads once, soon', async () => {
    const { dir, fires } = await watched();
    writeFileSync(join(dir, 'a.yaml'), 'n: 1\n');
    const start = Date.now();
    while (fires.length === 0 && Date.now() - start < 5000) await sleep(10);
    await sleep(400);
    expect(fires).toHaveLength(1);
  });

  it('a burst whose quiet timer comes due while the loop is blocked (and writes go on) is still one reload', async () => {
    const { dir, fires, t0 } = await watched();
    const burstAt = Date.now() - t0;
    for (let i = 1; i <= 20; i++) {
      writeFileSync(join(dir, 'a.yaml'), `n: ${i}\n`);
      await sleep(10);
    }
    // The loop is busy for longer than the burst's quiet time while the file keeps changing: the
    // quiet timer is due when the loop comes back, before the changes made meanwhile are read.
    const busyUntil = Date.now() + 700;
    let i = 100;
    while (Date.now() < busyUntil) {
      writeFileSync(join(dir, 'a.yaml'), `n: ${i++}\n`);
      const next = Date.now() + 10;
      while (Date.now() < next) {
        /* busy: the event loop is blocked */
      }
    }
    await sleep(1500);
    // The burst's first change may reload at once (chokidar passes it on, then throttles the
    // rest); everything after that is one reload, after the writes end.
    const late = fires.filter((t) => t > burstAt + 150);
    expect(late, `burst from ${burstAt} ms, reloads at ${fires.join(', ')} ms`).toHaveLength(1);
    expect(late[0]).toBeGreaterThan(burstAt + 200 + 700);
  });
});
