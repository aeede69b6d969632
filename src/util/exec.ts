// Runs subprocesses through execa: always an argv, always a timeout, never a shell; counts spawns.
import { execa } from 'execa';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the program could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
}

export interface ExecOptions {
  timeoutMs?: number;
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string;
}

export interface Exec {
  (file: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** How many subprocesses this Exec has started. */
  readonly spawned: number;
}

export function createExec(defaultTimeoutMs = 30_000): Exec {
  let spawned = 0;
  const run = async (file: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> => {
    spawned++;
    const r = await execa(file, args, {
      reject: false,
      timeout: options.timeoutMs ?? defaultTimeoutMs,
      stripFinalNewline: false,
      ...(options.env ? { env: options.env } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
    });
    const code = (r as { code?: string }).code;
    return {
      exitCode: r.exitCode ?? (r.timedOut ? 124 : 1),
      stdout: typeof r.stdout === 'string' ? r.stdout : '',
      stderr: typeof r.stderr === 'string' ? r.stderr : '',
      timedOut: r.timedOut,
      ...(code === 'ENOENT' || code === 'EACCES' ? { spawnError: code } : {}),
    };
  };
  return Object.defineProperty(run, 'spawned', { get: () => spawned }) as Exec;
}
