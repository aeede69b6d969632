// The commit a checkout is at, read from .git's files (no git process; worktrees and packed refs too).
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

async function text(path: string): Promise<string | null> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return null;
  }
}

async function gitDir(root: string): Promise<string | null> {
  const dotGit = join(root, '.git');
  const st = await stat(dotGit).catch(() => null);
  if (!st) return null;
  if (st.isDirectory()) return dotGit;
  // A worktree or submodule: `.git` is a file naming the real folder.
  const m = /^gitdir:\s*(.+)$/m.exec((await text(dotGit)) ?? '');
  return m ? resolve(root, m[1]!) : null;
}

/** The full commit hash, or null when `root` is not a git checkout (an installed package). */
export async function gitCommit(root: string): Promise<string | null> {
  const dir = await gitDir(root);
  if (!dir) return null;
  const head = await text(join(dir, 'HEAD'));
  if (!head) return null;
  if (/^[0-9a-f]{40,64}$/.test(head)) return head;
  const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
  if (!ref) return null;
  const common = await text(join(dir, 'commondir'));
  const dirs = common ? [dir, resolve(dir, common)] : [dir];
  for (const d of dirs) {
    const loose = await text(join(d, ref));
    if (loose && /^[0-9a-f]{40,64}$/.test(loose)) return loose;
  }
  for (const d of dirs) {
    for (const line of ((await text(join(d, 'packed-refs'))) ?? '').split('\n')) {
      const [hash, name] = line.split(' ');
      if (name === ref && hash && /^[0-9a-f]{40,64}$/.test(hash)) return hash;
    }
  }
  return null;
}
