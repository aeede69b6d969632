// Runs one agentctl command (the compiled CLI) to completion and times it from spawn to exit.
import { execa } from 'execa';
import type { Cleanup } from './cleanup.js';
import { CLI } from './paths.js';
import { onceDone, parseLogLines, type LogLine, type OnceDone } from './log-lines.js';

export interface CliRun {
  wallMs: number;
  exitCode: number;
  stdout: string;
  stderr: string;
  lines: LogLine[];
}

export async function runCli(
  cleanup: Cleanup,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 300_000,
): Promise<CliRun> {
  const t0 = performance.now();
  const r = await cleanup.child(execa(CLI, args, { env, reject: false, timeout: timeoutMs, stdin: 'ignore' }));
  const wallMs = performance.now() - t0;
  const stderr = String(r.stderr);
  return { wallMs, exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr, lines: parseLogLines(stderr) };
}

export interface OnceRun extends CliRun {
  done: OnceDone;
}

/** `reconcile --once --settle 0 --log-level debug`: raw converge, no settle wait; throws unless
 * every agent converged. */
export async function reconcileOnce(cleanup: Cleanup, env: Record<string, string>, timeout = '240s'): Promise<OnceRun> {
  const r = await runCli(
    cleanup,
    ['reconcile', '--once', '--settle', '0', '--timeout', timeout, '--log-level', 'debug'],
    env,
  );
  const done = onceDone(r.lines);
  if (r.exitCode !== 0 || !done) {
    const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-5).join('\n');
    throw new Error(`agentctl reconcile --once exited ${r.exitCode}: ${tail}`);
  }
  return { ...r, done };
}
