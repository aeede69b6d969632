// Runs git (and the few other programs a worktree needs) through an Executor, local or over SSH.
import type { ExecResult, Executor } from '../exec/executor.js';
import { PrepareError } from './errors.js';

/** git never asks for a password or a host key here: it would wait for an answer forever. */
const QUIET_GIT = { GIT_TERMINAL_PROMPT: '0', GIT_SSH_COMMAND: 'ssh -o BatchMode=yes' };

/** The environment a command gets: locally the controller's plus `extra`; on an SSH host the
 * executor clears it to that login's base and adds `extra`. */
export function envFor(exec: Executor, extra: Record<string, string>): Record<string, string | undefined> {
  return exec.target === 'local' ? { ...process.env, ...extra } : extra;
}

/** The last lines of what a command printed, for an error message. */
export function outputTail(r: Pick<ExecResult, 'stdout' | 'stderr'>, maxChars = 600): string {
  const text = `${r.stderr}\n${r.stdout}`.trim();
  return text.length > maxChars ? `…${text.slice(-maxChars)}` : text;
}

export async function git(exec: Executor, args: readonly string[], timeoutMs = 60_000): Promise<ExecResult> {
  return exec.run('git', args, { timeoutMs, env: envFor(exec, QUIET_GIT) });
}

/** git, failing with a PrepareError that says what was being done and what git said. */
export async function gitOk(exec: Executor, doing: string, args: readonly string[], timeoutMs?: number) {
  const r = await git(exec, args, timeoutMs);
  if (r.spawnError) throw new PrepareError(`${doing}: git cannot be run on ${exec.target} (${r.spawnError})`);
  if (r.timedOut) throw new PrepareError(`${doing}: git timed out after ${Math.round((timeoutMs ?? 60_000) / 1000)} s`);
  if (r.exitCode !== 0) throw new PrepareError(`${doing}: ${outputTail(r) || `git exited with ${r.exitCode}`}`);
  return r;
}
