// The state dir lock against the real file system: the holder notices when it lost its lock, and
// locks nobody can hold (garbage, empty, a folder, a dead pid) are taken over instead of blocking forever.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GARBAGE_LOCK_AGE_MS, LockHeldError, tryLock } from '../../../src/engine/lock.js';
import { removeTree } from '../../helpers/remove-tree.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeTree(d);
});
function stateDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'agentctl-lock-'));
  dirs.push(d);
  return join(d, 'state');
}
/** Makes a file look `ms` old. */
function age(path: string, ms: number): void {
  const t = (Date.now() - ms) / 1000;
  utimesSync(path, t, t);
}
/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('verify: the holder notices when it lost its lock', () => {
  it('holds while nothing happened', async () => {
    const lock = await tryLock(stateDir(), 'h', 'test');
    expect(await lock.verify()).toEqual({ held: true });
    await lock.release();
  });

  it('rm -rf of the state dir: lost', async () => {
    const dir = stateDir();
    const lock = await tryLock(dir, 'h', 'test');
    removeTree(dir);
    expect(await lock.verify()).toEqual({ held: false, reason: `${join(dir, 'lock')} is gone` });
  });

  it('a second controller took the state dir after the rm: lost, and release leaves its lock alone', async () => {
    const dir = stateDir();
    const first = await tryLock(dir, 'h', 'first');
    removeTree(dir);
    const second = await tryLock(dir, 'h', 'second');
    expect((await first.verify()).held).toBe(false);
    await first.release();
    expect(await second.verify()).toEqual({ held: true });
    await second.release();
  });

  it('the same content in another file (a copy put back): lost', async () => {
    const dir = stateDir();
    const lock = await tryLock(dir, 'h', 'test');
    cpSync(lock.file, `${lock.file}.copy`);
    rmSync(lock.file);
    cpSync(`${lock.file}.copy`, lock.file);
    expect(await lock.verify()).toMatchObject({ held: false, reason: `${lock.file} was replaced` });
  });

  it('garbage written into the lock file: lost', async () => {
    const lock = await tryLock(stateDir(), 'h', 'test');
    writeFileSync(lock.file, 'garbage');
    expect(await lock.verify()).toMatchObject({ held: false, reason: `${lock.file} was replaced` });
  });
});

describe('locks nobody holds are taken over', () => {
  const cases: [string, (file: string) => void][] = [
    ['garbage', (f) => writeFileSync(f, 'not json {')],
    ['empty', (f) => writeFileSync(f, '')],
    ['a folder', (f) => mkdirSync(join(f, 'inner'), { recursive: true })],
    ['JSON of the wrong shape', (f) => writeFileSync(f, '{"pid":"x"}')],
    ['a FIFO', (f) => execFileSync('mkfifo', [f])],
  ];
  it.each(cases)(
    '%s, once it is older than the bound',
    async (_, make) => {
      const dir = stateDir();
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 'lock');
      make(file);
      age(file, GARBAGE_LOCK_AGE_MS + 1000);
      const lock = await tryLock(dir, 'h', 'test');
      expect(await lock.verify()).toEqual({ held: true });
      await lock.release();
    },
    10_000,
  );

  it.each(cases)(
    '%s, younger than the bound: still refused (someone may be writing it)',
    async (_, make) => {
      const dir = stateDir();
      mkdirSync(dir, { recursive: true });
      make(join(dir, 'lock'));
      const err = await tryLock(dir, 'h', 'test').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LockHeldError);
      expect((err as Error).message).toMatch(/is not a lock agentctl wrote .* taken over once it is 60 s old/);
    },
    10_000,
  );

  it('a lock of a dead pid on this host is taken over at once; of a live one, or of another host, never', async () => {
    const dir = stateDir();
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'lock');
    const info = (pid: number, host: string): string =>
      JSON.stringify({ pid, host, startedAt: new Date().toISOString(), command: 'x' });
    writeFileSync(file, info(deadPid(), 'h'));
    const lock = await tryLock(dir, 'h', 'test');
    await lock.release();
    writeFileSync(file, info(process.ppid, 'h'));
    await expect(tryLock(dir, 'h', 'test')).rejects.toBeInstanceOf(LockHeldError);
    writeFileSync(file, info(deadPid(), 'other-host'));
    age(file, GARBAGE_LOCK_AGE_MS * 10);
    await expect(tryLock(dir, 'h', 'test')).rejects.toBeInstanceOf(LockHeldError);
  });
});

describe('files and modes', () => {
  it('the state dir is 0700 and the lock file 0600', async () => {
    const dir = stateDir();
    const lock = await tryLock(dir, 'h', 'test');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(lock.file).mode & 0o777).toBe(0o600);
    await lock.release();
  });
});
