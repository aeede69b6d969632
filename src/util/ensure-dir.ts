// Creates a folder and its missing parents one level at a time: never `mkdir -p`, which spins forever under /proc.
import { chmod, mkdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { onKernelFs } from './kernel-fs.js';

/** The folder is on a kernel file system (/proc, /sys, /dev): nothing is created there. */
export class KernelFsError extends Error {
  constructor(readonly path: string) {
    super(`${path} is under /proc, /sys or /dev`);
    this.name = 'KernelFsError';
  }
}

const code = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;

/** Makes `path` a folder. Each missing level is created with one plain mkdir (so the number of
 * calls is bounded by the path's depth), and only once the real path of its parent is known
 * not to be on a kernel file system. Throws the errno error (ENOTDIR, EACCES, ...) or a
 * KernelFsError. */
export async function ensureDir(path: string, mode = 0o777): Promise<void> {
  const abs = resolve(path);
  let cur = '/';
  for (const part of abs.split('/').filter(Boolean)) {
    cur = join(cur, part);
    try {
      if (!(await stat(cur)).isDirectory()) throw Object.assign(new Error(`ENOTDIR: ${cur}`), { code: 'ENOTDIR' });
      continue;
    } catch (err) {
      if (code(err) !== 'ENOENT') throw err;
    }
    if (onKernelFs(await realpath(dirname(cur)))) throw new KernelFsError(path);
    try {
      await mkdir(cur, { mode });
    } catch (err) {
      if (code(err) !== 'EEXIST') throw err;
    }
  }
  if (onKernelFs(await realpath(abs))) throw new KernelFsError(path);
}

/** A folder only its owner may enter (the state dir and what is under it): created 0700, and an
 * existing one of ours with a wider mode is narrowed. True when it was narrowed (the files in
 * it may want narrowing too). */
export async function ensurePrivateDir(path: string): Promise<boolean> {
  await ensureDir(path, 0o700);
  const s = await stat(path);
  if ((s.mode & 0o777) === 0o700 || s.uid !== process.getuid?.()) return false;
  await chmod(path, 0o700);
  return true;
}
