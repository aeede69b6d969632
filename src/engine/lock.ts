// One controller per state dir: a lock file holding pid, host and start time; stale locks are taken over.
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

export class LockHeldError extends Error {
  constructor(
    readonly holder: LockInfo | null,
    readonly file: string,
  ) {
    super(
      holder
        ? `another agentctl holds ${file}: pid ${holder.pid} on ${holder.host}, running \`${holder.command}\` since ${holder.startedAt}`
        : `another agentctl holds ${file}`,
    );
    this.name = 'LockHeldError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function readLock(file: string): Promise<LockInfo | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

export interface Lock {
  file: string;
  release(): Promise<void>;
}

/** Takes the lock or throws LockHeldError. A lock whose holder is a dead process on this host is
 * stale and taken over. The file is created complete (written aside, then hard-linked into
 * place, which fails if it exists), so no reader ever sees a half-written lock. */
export async function tryLock(stateDir: string, host: string, command: string): Promise<Lock> {
  await mkdir(stateDir, { recursive: true });
  const file = join(stateDir, 'lock');
  const info: LockInfo = { pid: process.pid, host, startedAt: new Date().toISOString(), command };
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(info)}\n`);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(tmp, file);
        return {
          file,
          release: async () => {
            const cur = await readLock(file);
            if (cur?.pid === process.pid && cur.host === host) await rm(file, { force: true });
          },
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = await readLock(file);
      const stale = holder !== null && holder.host === host && !alive(holder.pid);
      if (!stale) throw new LockHeldError(holder, file);
      await rm(file, { force: true });
    }
    throw new LockHeldError(await readLock(file), file);
  } finally {
    await rm(tmp, { force: true });
  }
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
