// The local machine as an Executor (execa: argv, timeout, no shell) and its files (node:fs).
import { execa } from 'execa';
import { closeSync, constants as fsConstants, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, rm } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import { dirname, basename, join } from 'node:path';
import type { ExecOptions, ExecResult, Executor, FileContent, HostFiles, Machine } from './executor.js';

const signalNumber = (name: string | undefined): number | undefined =>
  name ? (osConstants.signals as Record<string, number>)[name] : undefined;

/** Maps execa's outcome onto the contract: a timeout or a signal is never exit code 0. */
export function resultCode(r: { exitCode?: number; timedOut: boolean; signal?: string; failed: boolean }): number {
  if (r.timedOut) return 124;
  const sig = signalNumber(r.signal);
  if (sig !== undefined) return 128 + sig;
  if (r.exitCode !== undefined) return r.exitCode === 0 && r.failed ? 1 : r.exitCode;
  return 1;
}

export function createLocalExecutor(defaultTimeoutMs = 30_000): Executor {
  let spawned = 0;
  const run = async (file: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> => {
    spawned++;
    const r = await execa(file, args, {
      reject: false,
      timeout: options.timeoutMs ?? defaultTimeoutMs,
      // A child that ignores SIGTERM at its timeout is killed for good a moment later.
      forceKillAfterDelay: 1000,
      stripFinalNewline: false,
      ...(options.env ? { env: options.env, extendEnv: false } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
    });
    const code = (r as { code?: string }).code;
    return {
      exitCode: resultCode(r),
      stdout: typeof r.stdout === 'string' ? r.stdout : '',
      stderr: typeof r.stderr === 'string' ? r.stderr : '',
      timedOut: r.timedOut,
      ...(code === 'ENOENT' || code === 'EACCES' ? { spawnError: code } : {}),
    };
  };
  return {
    target: 'local',
    run,
    get spawned() {
      return spawned;
    },
  };
}

/** Writes a file completely or not at all: temp file, fsync, rename. */
export function writeFileAtomicSync(path: string, content: string, mode = 0o600, durable = true): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, content);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export const localFiles: HostFiles = {
  async mkdir(dir, mode = 0o700) {
    await mkdir(dir, { recursive: true, mode });
  },
  async list(dir) {
    try {
      return await readdir(dir);
    } catch {
      return [];
    }
  },
  async read(paths) {
    const out = new Map<string, FileContent>();
    await Promise.all(
      paths.map(async (p) => {
        try {
          // O_NONBLOCK: a FIFO put where a file belongs must not hang the reader.
          const fh = await open(p, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
          try {
            const s = await fh.stat();
            if (!s.isFile()) return;
            out.set(p, { text: await fh.readFile('utf8'), mtimeMs: s.mtimeMs });
          } finally {
            await fh.close();
          }
        } catch {
          /* missing or unreadable: left out */
        }
      }),
    );
    return out;
  },
  async write(files, options) {
    for (const f of files) writeFileAtomicSync(f.path, f.content, f.mode ?? 0o600, options?.durable !== false);
  },
  async remove(paths) {
    await Promise.all(paths.map((p) => rm(p, { force: true })));
  },
  async tail(path, maxBytes) {
    let fh;
    try {
      fh = await open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    } catch {
      return null;
    }
    try {
      const s = await fh.stat();
      if (!s.isFile()) return null;
      const start = Math.max(0, s.size - maxBytes);
      const buf = Buffer.alloc(s.size - start);
      await fh.read(buf, 0, buf.length, start);
      return buf.toString('utf8');
    } finally {
      await fh.close();
    }
  },
};

export function localMachine(home: string, exec: Executor): Machine {
  return { name: 'local', exec, files: localFiles, home };
}
