// Creates the workdir and writes spec.files into it, never outside it (not even through a symlink).
import { lstat, realpath } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { ensureDir, KernelFsError } from '../util/ensure-dir.js';
import { PrepareError } from './errors.js';

const code = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? 'error';

/** Creates the workdir (and its parents) without ever spinning; a workdir on /proc, /sys or
 * /dev is refused. */
export async function createWorkdir(workdir: string): Promise<void> {
  try {
    await ensureDir(workdir);
  } catch (err) {
    if (err instanceof KernelFsError)
      throw new PrepareError(`workdir ${workdir} cannot be created: it is under /proc, /sys or /dev`, { cause: err });
    throw new PrepareError(`workdir ${workdir} cannot be created (${code(err)})`, { cause: err });
  }
}

/** Writes spec.files into the workdir, each atomically. A path that leaves the workdir, also by
 * a symlinked folder or a symlink where the file belongs (write-file-atomic would follow it and
 * write to its target), is refused. */
export async function writeWorkspaceFiles(workdir: string, files: Record<string, string>): Promise<void> {
  const root = resolve(workdir);
  const realRoot = await realpath(root);
  const inside = (p: string): boolean => p.startsWith(realRoot + sep);
  for (const [rel, content] of Object.entries(files)) {
    const target = resolve(root, rel);
    if (!target.startsWith(root + sep)) throw new PrepareError(`files: ${rel} is outside the workdir`);
    const escaped = new PrepareError(`files: ${rel} leads outside the workdir (through a symlink)`);
    try {
      // Folders are created one by one from the workdir down, each checked before the next.
      let dir = realRoot;
      for (const part of relative(root, dirname(target)).split(sep).filter(Boolean)) {
        await ensureDir(resolve(dir, part));
        dir = await realpath(resolve(dir, part));
        if (!inside(dir)) throw escaped;
      }
      const file = resolve(dir, rel.split('/').at(-1)!);
      const existing = await lstat(file).catch(() => undefined);
      if (existing?.isSymbolicLink() && !inside(await realpath(file).catch(() => file))) throw escaped;
      await writeFileAtomic(file, content, { fsync: true });
    } catch (err) {
      if (err instanceof PrepareError) throw err;
      throw new PrepareError(`files: ${rel} cannot be written (${code(err)})`, { cause: err });
    }
  }
}
