// A new worktree's one-time preparation: files copied from the repository, then the setup commands.
import { dirname, join } from 'node:path';
import type { Executor } from '../exec/executor.js';
import type { Workspace } from '../spec/workspace-fields.js';
import { scrubSecrets } from '../spec/secrets.js';
import { PrepareError } from './errors.js';
import { gitOk, outputTail } from './git-run.js';
import type { Repo } from './worktree.js';

/** Written into the worktree's own git folder once setup has succeeded: it lives and dies with
 * the worktree (a lost registry does not run setup again; a remade worktree does). */
const DONE_MARK = 'agentctl-setup-done';

export interface SetupContext {
  exec: Executor;
  /** Absolute path of the worktree. */
  path: string;
  repo: Repo;
  /** The whole environment of setup commands. */
  env: Record<string, string | undefined>;
  /** Values hidden from error messages. */
  secrets: readonly string[];
}

const ok = async (exec: Executor, file: string, args: string[]): Promise<boolean> =>
  (await exec.run(file, args, { timeoutMs: 30_000 })).exitCode === 0;

/** Copies, then runs setup, unless a previous run finished; a failure throws (the start is then
 * retried with backoff, and copy and setup run again: copies never overwrite what is there). */
export async function setUpWorktree(ctx: SetupContext, ws: Workspace): Promise<{ ran: boolean }> {
  const { exec, path } = ctx;
  const gitDir = (await gitOk(exec, 'workspace', ['-C', path, 'rev-parse', '--absolute-git-dir'])).stdout.trim();
  const mark = join(gitDir, DONE_MARK);
  if (await ok(exec, 'test', ['-e', mark])) return { ran: false };
  for (const rel of ws.copy) await copyOne(ctx, rel);
  for (const [i, argv] of ws.setup.entries()) {
    const r = await exec.run(argv[0]!, argv.slice(1), {
      cwd: path,
      env: ctx.env,
      timeoutMs: ws.setupTimeoutSeconds * 1000,
    });
    if (r.exitCode === 0) continue;
    const what = r.spawnError
      ? `cannot be run (${r.spawnError})`
      : r.timedOut
        ? `timed out after ${ws.setupTimeoutSeconds} s and was killed`
        : `failed with exit code ${r.exitCode}`;
    const out = scrubSecrets(outputTail(r), ctx.secrets);
    throw new PrepareError(`workspace.setup[${i}] (${argv.join(' ')}) ${what}${out ? `: ${out}` : ''}`);
  }
  if (!(await ok(exec, 'touch', ['--', mark]))) throw new PrepareError(`workspace: cannot write ${mark}`);
  return { ran: true };
}

/** One `copy` entry: from the repository's working tree into the worktree, as is (a symlink
 * stays a symlink); an existing target is left alone. */
async function copyOne(ctx: SetupContext, rel: string): Promise<void> {
  const { exec } = ctx;
  const from = join(ctx.repo.dir, rel);
  const to = join(ctx.path, rel);
  if (!(await ok(exec, 'test', ['-e', from])) && !(await ok(exec, 'test', ['-L', from])))
    throw new PrepareError(`workspace.copy: ${rel} is not in ${ctx.repo.dir}`);
  if ((await ok(exec, 'test', ['-e', to])) || (await ok(exec, 'test', ['-L', to]))) return;
  const r0 = await exec.run('mkdir', ['-p', '--', dirname(to)], { timeoutMs: 30_000 });
  const r = r0.exitCode === 0 ? await exec.run('cp', ['-RP', '--', from, to], { timeoutMs: 5 * 60_000 }) : r0;
  if (r.exitCode !== 0) throw new PrepareError(`workspace.copy: ${rel}: ${outputTail(r)}`);
}
