// The state dir lock against real files: one holder, named to the second, stale locks taken over.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LockHeldError, tryLock } from '../../../src/engine/lock.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agentctl-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('state dir lock', () => {
  it('refuses a second holder, names the first, and takes over a stale lock', async () => {
    const lock = await tryLock(dir, 'h1', 'first');
    await expect(tryLock(dir, 'h1', 'second')).rejects.toBeInstanceOf(LockHeldError);
    await expect(tryLock(dir, 'h1', 'second')).rejects.toThrow(new RegExp(`pid ${process.pid} on h1, running \`first\``));
    await lock.release();
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: 2 ** 22 + 7, host: 'h1', startedAt: 'x', command: 'dead' }));
    const again = await tryLock(dir, 'h1', 'third');
    expect(JSON.parse(readFileSync(join(dir, 'lock'), 'utf8')).command).toBe('third');
    await again.release();
    // A lock held on another host cannot be checked for liveness: it is respected.
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: 2 ** 22 + 7, host: 'elsewhere', startedAt: 'x', command: 'remote' }));
    await expect(tryLock(dir, 'h1', 'fourth')).rejects.toThrow(/on elsewhere/);
  });
});
