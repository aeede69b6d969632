// The local machine as an Executor (argv, hard timeout, no shell) and its files (node:fs, bounded).
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readBounded } from '../util/bounded-read.js';
import { readFileRange } from '../util/file-range.js';
import { ensureDir } from '../util/ensure-dir.js';
import { boundedSpawn } from './bounded-spawn.js';
import type { ExecOptions, ExecResult, Executor, FileContent, HostFiles, Machine } from './executor.js';

/** Files a runtime reads (exit files, pointers) are tiny; anything larger is not ours. */
const MAX_READ_BYTES = 1024 * 1024;

export function createLocalExecutor(defaultTimeoutMs = 30_000): Executor {
  let spawned = 0;
  // A tmux client hands its stdio to the server it talks to: a stopped server would hold our
  // pipes open past any timeout of the client's own. boundedSpawn ends the call at the deadline.
  const run = async (file: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> => {
    spawned++;
    return boundedSpawn(file, args, {
      timeoutMs: options.timeoutMs ?? defaultTimeoutMs,
      ...(options.env ? { env: options.env } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.input !== undefined ? { input: options.input } : {}),
    });
  };
  return {
    target: 'local',
    run,
    get spawned() {
      return spawned;
    },
  };
}

/** Writes a file completely or not at all: temp file, fsync (unless not durable), rename. */
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
    await ensureDir(dir, mode);
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
          // Regular files only, opened non-blocking, capped: a FIFO or a device where an exit
          // file belongs must not hang or swamp the reader.
          const [buf, s] = await Promise.all([readBounded(p, MAX_READ_BYTES), stat(p)]);
          out.set(p, { text: buf.toString('utf8'), mtimeMs: s.mtimeMs });
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
    const buf = await readFileRange(path, (size) => ({ start: size - maxBytes, length: maxBytes }));
    return buf === null ? null : buf.toString('utf8');
  },
};

export function localMachine(home: string, exec: Executor): Machine {
  return { name: 'local', exec, files: localFiles, home };
}
