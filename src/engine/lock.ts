// One controller per state dir: a lock file holding pid, host and start time; stale locks are taken over.
//
// The holder checks its lock with `verify()` (same inode, same content) and steps down when it
// lost it: after `rm -rf state` a second controller could otherwise run beside it.
import { randomBytes } from 'node:crypto';
import { link, lstat, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { readBounded } from '../util/bounded-read.js';
import { ensurePrivateDir } from '../util/ensure-dir.js';

export const LockInfo = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  startedAt: z.string(),
  command: z.string(),
});
export type LockInfo = z.infer<typeof LockInfo>;

/**
 * How old a lock file that agentctl did not write (empty, garbage, a folder, a FIFO) must be
 * before it is taken over. agentctl writes its lock aside and hard-links it into place, fsynced,
 * so a lock of ours is complete from the moment it exists: such a file came from something
 * else (a hand, a disk fault). The bound is not about waiting for a writer (that takes
 * milliseconds) but about a live holder whose lock was garbled: it must have stepped down
 * first, and it notices at its next `verify()`. 60 s is above the default resync (30 s plus
 * jitter) at which the controller verifies; a longer resync needs a verify timer of its own.
 */
export const GARBAGE_LOCK_AGE_MS = 60_000;
const MAX_LOCK_BYTES = 4096;

export class LockHeldError extends Error {
  constructor(
    readonly holder: LockInfo | null,
    readonly file: string,
    detail?: string,
  ) {
    super(
      holder
        ? `another agentctl holds ${file}: pid ${holder.pid} on ${holder.host}, running \`${holder.command}\` since ${holder.startedAt}`
        : detail
          ? `${file} blocks the lock: ${detail}`
          : `another agentctl holds ${file}`,
    );
    this.name = 'LockHeldError';
  }
}

export type LockCheck = { held: true } | { held: false; reason: string };

export interface Lock {
  file: string;
  /** Whether the lock file is still the one this process created (inode and content). A
   * controller calls it on every resync and stops taking work when it is not. */
  verify(): Promise<LockCheck>;
  /** Removes the lock file if it is still ours. */
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const code = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;

/** The lock's holder, or null when the file is missing or is not a lock agentctl wrote. Never
 * blocks (a FIFO put there is not opened for reading) and never reads more than 4 KB. */
export async function readLock(file: string): Promise<LockInfo | null> {
  try {
    const r = LockInfo.safeParse(JSON.parse((await readBounded(file, MAX_LOCK_BYTES)).toString('utf8')));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** The live holder of the state dir's lock (a controller or a `reconcile --once`), or null when
 * none: no lock, one a dead process on this host left, or a file agentctl did not write. A holder
 * on another host is taken as live (its process cannot be checked from here). */
export async function liveHolder(stateDir: string, host: string): Promise<LockInfo | null> {
  const holder = await readLock(join(stateDir, 'lock'));
  return holder && (holder.host !== host || alive(holder.pid)) ? holder : null;
}

type Verdict =
  { kind: 'free' } | { kind: 'held'; holder: LockInfo | null; detail?: string } | { kind: 'stale'; ino: number };

async function judge(file: string, host: string): Promise<Verdict> {
  let s;
  try {
    s = await lstat(file);
  } catch (err) {
    if (code(err) === 'ENOENT') return { kind: 'free' };
    throw err;
  }
  const holder = await readLock(file);
  if (holder)
    return holder.host === host && !alive(holder.pid) ? { kind: 'stale', ino: s.ino } : { kind: 'held', holder };
  const ageMs = Date.now() - s.mtimeMs;
  if (ageMs > GARBAGE_LOCK_AGE_MS) return { kind: 'stale', ino: s.ino };
  const detail = `it is not a lock agentctl wrote (empty, unreadable or not a file); it is taken over once it is ${GARBAGE_LOCK_AGE_MS / 1000} s old (now ${Math.floor(Math.max(0, ageMs) / 1000)} s)`;
  return { kind: 'held', holder: null, detail };
}

/** Removes the stale lock judged by its inode, and only that one: it is renamed aside first
 * (atomic), and if what was moved is a fresh lock another contender made meanwhile, it is put
 * back. Two contenders can therefore never remove each other's new lock. */
async function removeStale(file: string, ino: number): Promise<void> {
  const aside = `${file}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await rename(file, aside);
  } catch (err) {
    if (code(err) === 'ENOENT') return;
    throw err;
  }
  if ((await lstat(aside)).ino !== ino) await link(aside, file).catch(() => undefined);
  await rm(aside, { recursive: true, force: true });
}

async function writeAside(tmp: string, text: string): Promise<void> {
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(text);
    // Without it a power loss could leave an empty lock file behind the link.
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Takes the lock or throws LockHeldError. A lock whose holder is a dead process on this host is
 * stale and taken over, and so is a lock file agentctl did not write once it is older than
 * GARBAGE_LOCK_AGE_MS. The file is created complete (written aside, then hard-linked into
 * place, which fails if it exists), so no reader ever sees a half-written lock. */
export async function tryLock(stateDir: string, host: string, command: string): Promise<Lock> {
  await ensurePrivateDir(stateDir);
  const file = join(stateDir, 'lock');
  const info: LockInfo = { pid: process.pid, host, startedAt: new Date().toISOString(), command };
  const text = `${JSON.stringify(info)}\n`;
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeAside(tmp, text);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(tmp, file);
        return heldLock(file, await identity(file), text);
      } catch (err) {
        if (code(err) !== 'EEXIST') throw err;
      }
      const v = await judge(file, host);
      if (v.kind === 'held') throw new LockHeldError(v.holder, file, v.detail);
      if (v.kind === 'stale') await removeStale(file, v.ino);
    }
    throw new LockHeldError(await readLock(file), file);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Inode and birth time: a file removed and made again often gets the same inode number back. */
async function identity(file: string): Promise<string> {
  const s = await lstat(file, { bigint: true });
  return `${s.dev}:${s.ino}:${s.birthtimeNs}`;
}

function heldLock(file: string, id: string, text: string): Lock {
  const verify = async (): Promise<LockCheck> => {
    try {
      const same = (await identity(file)) === id;
      const now = (await readBounded(file, MAX_LOCK_BYTES)).toString('utf8');
      return same && now === text ? { held: true } : { held: false, reason: `${file} was replaced` };
    } catch (err) {
      if (code(err) === 'ENOENT' || (err as { reason?: string }).reason === 'missing')
        return { held: false, reason: `${file} is gone` };
      return { held: false, reason: `${file} cannot be checked: ${(err as Error).message}` };
    }
  };
  return {
    file,
    verify,
    release: async () => {
      if ((await verify()).held) await rm(file, { force: true });
    },
  };
}

/** Waits up to `timeoutMs` for the lock (reconcile --once next to a running controller). */
export async function waitLock(stateDir: string, host: string, command: string, timeoutMs: number): Promise<Lock> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await tryLock(stateDir, host, command);
    } catch (err) {
      if (!(err instanceof LockHeldError) || Date.now() >= deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
