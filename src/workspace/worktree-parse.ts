// Pure parts of git worktrees: branch names, clone folders, `git worktree list` and `git status` output.
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** The agent's branch: the template with `{name}` replaced. */
export function branchFor(template: string, name: string): string {
  return template.replaceAll('{name}', name);
}

/** Where a repository given by URL is cloned on a host (bare, once, shared by that host's agents). */
export function cloneDirFor(url: string, home: string): string {
  const base = (url.replace(/\/+$/, '').split(/[/:]/).at(-1) ?? 'repo').replace(/\.git$/, '').replace(/[^\w.-]/g, '_');
  const digest = createHash('sha256').update(url).digest('hex').slice(0, 12);
  return join(home, '.cache', 'agentctl', 'repos', `${base || 'repo'}-${digest}.git`);
}

export interface WorktreeEntry {
  path: string;
  /** `refs/heads/...`, or undefined for a detached HEAD or a bare repository. */
  branch?: string;
  bare: boolean;
  /** git knows it, but its folder is gone. */
  prunable: boolean;
}

/** `git worktree list --porcelain -z`: records of NUL-terminated `key value` lines, an empty
 * line between records (-z keeps paths with newlines intact). */
export function parseWorktreeList(out: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  let cur: WorktreeEntry | undefined;
  for (const line of out.split('\0')) {
    if (line === '') {
      if (cur) entries.push(cur);
      cur = undefined;
      continue;
    }
    const sp = line.indexOf(' ');
    const [key, value] = sp < 0 ? [line, ''] : [line.slice(0, sp), line.slice(sp + 1)];
    if (key === 'worktree') cur = { path: value, bare: false, prunable: false };
    else if (!cur) continue;
    else if (key === 'branch') cur.branch = value;
    else if (key === 'bare') cur.bare = true;
    else if (key === 'prunable') cur.prunable = true;
  }
  if (cur) entries.push(cur);
  return entries;
}

/** `git status --porcelain=v1 -z`: one entry per changed path (a rename carries its source as
 * the next NUL-separated field). Ignored files are not changes. */
export function parseStatus(out: string): { code: string; path: string }[] {
  const fields = out.split('\0');
  const changes: { code: string; path: string }[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.length < 4) continue;
    const code = f.slice(0, 2);
    changes.push({ code, path: f.slice(3) });
    if (code.startsWith('R') || code.startsWith('C')) i++;
  }
  return changes;
}

/** A short account of uncommitted changes for events and describe: counts, then the first paths. */
export function describeChanges(changes: readonly { code: string; path: string }[], max = 5): string {
  const untracked = changes.filter((c) => c.code === '??').length;
  const modified = changes.length - untracked;
  const parts: string[] = [];
  if (modified > 0) parts.push(`${modified} modified`);
  if (untracked > 0) parts.push(`${untracked} untracked`);
  const shown = changes.slice(0, max).map((c) => `${c.code.trim()} ${JSON.stringify(c.path).slice(1, -1)}`);
  const more = changes.length > max ? `, +${changes.length - max} more` : '';
  return `${parts.join(', ')}${shown.length ? ` (${shown.join(', ')}${more})` : ''}`;
}
