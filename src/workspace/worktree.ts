// An agent's git worktree on its host: found or made (from a local repository or a clone), and removed when clean.
import { join } from 'node:path';
import type { Executor, HostFiles } from '../exec/executor.js';
import { isRepoUrl, type WorkspaceGit } from '../spec/workspace-fields.js';
import { expandHome } from '../util/paths.js';
import { PrepareError } from './errors.js';
import { git, gitOk, outputTail } from './git-run.js';
import { branchFor, cloneDirFor, describeChanges, parseStatus, parseWorktreeList } from './worktree-parse.js';

/** Cloning and fetching a remote repository may take a while; a hung one is cut off. */
const FETCH_TIMEOUT_MS = 10 * 60_000;

export interface WorktreeTarget {
  /** The agent's name (for `{name}` in the branch). */
  name: string;
  git: WorkspaceGit;
  /** Absolute path of the worktree on its host (the agent's workdir). */
  path: string;
  /** The home folder on that host, for `~` in repo and for clones. */
  home: string;
}

export interface Repo {
  /** The repository's folder (a local repo's top folder, or the bare clone). */
  dir: string;
  /** A clone of a URL: new branches start from the fetched `origin/<ref>`. */
  cloned: boolean;
}

const q = JSON.stringify;

/** The absolute, symlink-free form of a path on the executor's host (it need not exist). */
async function realPath(exec: Executor, path: string): Promise<string> {
  const r = await exec.run('realpath', ['-m', '--', path], { timeoutMs: 10_000 });
  return r.exitCode === 0 ? r.stdout.trim() : path;
}

/** The local repository, checked: it exists, is a repository, and `repo` names its top folder. */
async function localRepo(exec: Executor, t: WorktreeTarget): Promise<Repo> {
  const dir = await realPath(exec, expandHome(t.git.repo, t.home));
  const where = `workspace.git.repo ${t.git.repo}${exec.target === 'local' ? '' : ` on ${exec.target}`}`;
  const r = await git(exec, ['-C', dir, 'rev-parse', '--is-bare-repository']);
  if (r.exitCode !== 0) {
    const exists = (await exec.run('test', ['-d', dir], { timeoutMs: 10_000 })).exitCode === 0;
    throw new PrepareError(exists ? `${where} is not a git repository` : `${where} does not exist`);
  }
  if (r.stdout.trim() === 'false') {
    const top = (await gitOk(exec, where, ['-C', dir, 'rev-parse', '--show-toplevel'])).stdout.trim();
    if (top !== dir) throw new PrepareError(`${where} is a folder inside the repository ${top}: name its top folder`);
  }
  return { dir, cloned: false };
}

/** The bare clone of a URL on this host, made on first use; fetched when `fetch` is set. */
async function clonedRepo(exec: Executor, t: WorktreeTarget, fetch: boolean): Promise<Repo> {
  const dir = cloneDirFor(t.git.repo, t.home);
  const doing = `workspace.git.repo ${t.git.repo}`;
  const have = await git(exec, ['-C', dir, 'rev-parse', '--is-bare-repository']);
  if (have.exitCode !== 0) {
    await exec.run('mkdir', ['-p', '--', dir.slice(0, dir.lastIndexOf('/'))], { timeoutMs: 10_000 });
    await gitOk(exec, `${doing}: clone`, ['clone', '--bare', '--quiet', '--', t.git.repo, dir], FETCH_TIMEOUT_MS);
    // A bare clone fetches nothing later without a refspec; origin/* then follows the remote.
    await gitOk(exec, doing, ['-C', dir, 'config', 'remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*']);
  }
  if (fetch) await gitOk(exec, `${doing}: fetch`, ['-C', dir, 'fetch', '--quiet', 'origin'], FETCH_TIMEOUT_MS);
  return { dir, cloned: true };
}

export async function openRepo(exec: Executor, t: WorktreeTarget, fetch: boolean): Promise<Repo> {
  return isRepoUrl(t.git.repo) ? clonedRepo(exec, t, fetch) : localRepo(exec, t);
}

/** The worktree of `repo` at `path`, if git knows one there; a folder that was deleted by hand
 * is forgotten first (git worktree prune), so that it can be made again. */
async function findWorktree(exec: Executor, repo: Repo, path: string) {
  const list = await gitOk(exec, 'workspace', ['-C', repo.dir, 'worktree', 'list', '--porcelain', '-z']);
  const entry = parseWorktreeList(list.stdout).find((e) => e.path === path);
  if (entry?.prunable) {
    await gitOk(exec, 'workspace', ['-C', repo.dir, 'worktree', 'prune']);
    return undefined;
  }
  return entry;
}

/** Makes the agent's worktree unless it is there already. Returns whether it was made now. A
 * folder at the path that is not this worktree (another checkout, another agent's branch, files
 * of its own) is refused, never overwritten. */
export async function ensureWorktree(exec: Executor, t: WorktreeTarget): Promise<{ created: boolean; repo: Repo }> {
  const path = await realPath(exec, t.path);
  const branch = branchFor(t.git.branch, t.name);
  let repo = await openRepo(exec, t, false);
  const entry = await findWorktree(exec, repo, path);
  if (entry) {
    if (entry.branch === `refs/heads/${branch}`) return { created: false, repo };
    const on = entry.branch?.replace(/^refs\/heads\//, '') ?? 'a detached HEAD';
    throw new PrepareError(`workspace: ${path} is a worktree on ${on}, not on ${branch}; it is left as it is`);
  }
  // rmdir removes only an empty folder: anything in it stays, and the worktree is refused.
  const rm = await exec.run('rmdir', ['--', path], { timeoutMs: 10_000 });
  const exists = (await exec.run('test', ['-e', path], { timeoutMs: 10_000 })).exitCode === 0;
  if (rm.exitCode !== 0 && exists)
    throw new PrepareError(`workspace: workdir ${path} exists and is not a worktree of ${t.git.repo}: move it away`);
  if (repo.cloned) repo = await openRepo(exec, t, true);
  const known = await git(exec, ['-C', repo.dir, 'show-ref', '--verify', '--quiet', `refs/heads/${branch}`]);
  const args = ['-C', repo.dir, 'worktree', 'add', '--quiet'];
  if (known.exitCode === 0) {
    // The agent's branch from an earlier worktree: its commits carry on.
    await gitOk(exec, `workspace: branch ${branch}`, [...args, path, branch]);
  } else {
    const start =
      repo.cloned && (await hasRef(exec, repo, `refs/remotes/origin/${t.git.ref}`)) ? `origin/${t.git.ref}` : t.git.ref;
    await gitOk(exec, `workspace: new branch ${branch} from ${t.git.ref}`, [...args, '-b', branch, path, start]);
  }
  return { created: true, repo };
}

async function hasRef(exec: Executor, repo: Repo, ref: string): Promise<boolean> {
  return (await git(exec, ['-C', repo.dir, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).exitCode === 0;
}

/** Untracked files agentctl itself wrote into the worktree (spec.files, .mcp.json, CLAUDE.md),
 * by path relative to it, with the content it wrote: still that content, they are no one's work. */
export interface OwnFiles {
  contents: Record<string, string>;
  files: HostFiles | undefined;
}

async function withoutOwnFiles(path: string, changes: { code: string; path: string }[], own: OwnFiles) {
  const candidates = changes.filter((c) => c.code === '??' && own.contents[c.path] !== undefined);
  const read =
    candidates.length && own.files ? await own.files.read(candidates.map((c) => join(path, c.path))) : new Map();
  const ours = candidates.filter((c) => read.get(join(path, c.path))?.text === own.contents[c.path]);
  return { changes: changes.filter((c) => !ours.includes(c)), ours: ours.map((c) => join(path, c.path)) };
}

export type RemoveOutcome = { removed: true } | { removed: false; kept?: string };

/** Removes the worktree at `t.path` when nothing in it is uncommitted (its branch stays, with
 * every commit); otherwise keeps it and says what is uncommitted. No worktree: nothing to do. */
export async function removeWorktreeIfClean(
  exec: Executor,
  t: WorktreeTarget,
  own: OwnFiles = { contents: {}, files: undefined },
): Promise<RemoveOutcome> {
  if ((await exec.run('test', ['-e', t.path], { timeoutMs: 10_000 })).exitCode !== 0) return { removed: false };
  if (isRepoUrl(t.git.repo)) {
    const dir = cloneDirFor(t.git.repo, t.home);
    if ((await git(exec, ['-C', dir, 'rev-parse', '--git-dir'])).exitCode !== 0) return { removed: false };
  }
  const repo = await openRepo(exec, t, false);
  const path = await realPath(exec, t.path);
  if (!(await findWorktree(exec, repo, path))) return { removed: false };
  const status = await gitOk(exec, `workspace ${path}`, [
    '-C',
    path,
    'status',
    '--porcelain=v1',
    '-z',
    '--untracked-files=all',
  ]);
  const { changes, ours } = await withoutOwnFiles(path, parseStatus(status.stdout), own);
  if (changes.length === 0 && ours.length > 0) await exec.run('rm', ['-f', '--', ...ours], { timeoutMs: 10_000 });
  if (changes.length > 0) return { removed: false, kept: `${q(path).slice(1, -1)}: ${describeChanges(changes)}` };
  const r = await git(exec, ['-C', repo.dir, 'worktree', 'remove', '--', path]);
  if (r.exitCode !== 0) return { removed: false, kept: `${path}: ${outputTail(r)}` };
  return { removed: true };
}
