// HostFiles on a remote host over its SshExecutor (one ssh call per method), and a Machine for a Host.
import type { ExecResult, Executor, FileContent, HostFiles, Machine } from './executor.js';
import type { SshExecutor } from './ssh-executor.js';
import {
  LIST_SCRIPT,
  MKDIR_SCRIPT,
  parseList,
  parseReadFrames,
  READ_SCRIPT,
  REMOVE_SCRIPT,
  TAIL_MISSING,
  TAIL_SCRIPT,
  umaskFor,
  WRITE_SCRIPT,
  writeInput,
} from './remote-file-scripts.js';

export class RemoteFilesError extends Error {
  constructor(
    message: string,
    readonly host: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'RemoteFilesError';
  }
}

export class SshFiles implements HostFiles {
  constructor(
    private readonly exec: Executor,
    private readonly timeoutMs = 30_000,
  ) {}

  /** Runs a script with `sh -c`; its arguments follow as $1...; a host failure throws. */
  private sh(script: string, args: readonly string[], input?: string): Promise<ExecResult> {
    return this.exec.run('/bin/sh', ['-c', script, 'agentctl-files', ...args], {
      timeoutMs: this.timeoutMs,
      ...(input !== undefined ? { input } : {}),
    });
  }

  private fail(what: string, r: ExecResult): never {
    const why = r.timedOut ? 'timed out' : r.stderr.trim() || `exit code ${r.exitCode}`;
    throw new RemoteFilesError(`${what} on ${this.exec.target} failed: ${why}`, this.exec.target, r.stderr);
  }

  async mkdir(dir: string, mode = 0o700): Promise<void> {
    const r = await this.sh(MKDIR_SCRIPT, [umaskFor(mode), dir]);
    if (r.exitCode !== 0) this.fail(`mkdir ${dir}`, r);
  }

  async list(dir: string): Promise<string[]> {
    const r = await this.sh(LIST_SCRIPT, [dir]);
    if (r.exitCode !== 0) this.fail(`list ${dir}`, r);
    return parseList(r.stdout);
  }

  async read(paths: readonly string[]): Promise<Map<string, FileContent>> {
    if (paths.length === 0) return new Map();
    const r = await this.sh(READ_SCRIPT, paths);
    if (r.exitCode !== 0) this.fail(`read of ${paths.length} file(s)`, r);
    return parseReadFrames(r.stdout, paths);
  }

  /** `durable: false` skips the fsync (launch files); the write is atomic either way. */
  async write(
    files: readonly { path: string; content: string; mode?: number }[],
    options?: { durable?: boolean },
  ): Promise<void> {
    if (files.length === 0) return;
    const durable = options?.durable === false ? '0' : '1';
    const r = await this.sh(WRITE_SCRIPT, [durable, ...files.map((f) => f.path)], writeInput(files));
    if (r.exitCode !== 0) this.fail(`write of ${files.length} file(s)`, r);
  }

  async remove(paths: readonly string[]): Promise<void> {
    if (paths.length === 0) return;
    const r = await this.sh(REMOVE_SCRIPT, paths);
    if (r.exitCode !== 0) this.fail(`remove of ${paths.length} file(s)`, r);
  }

  async tail(path: string, maxBytes: number): Promise<string | null> {
    const r = await this.sh(TAIL_SCRIPT, [path, String(Math.max(0, Math.floor(maxBytes)))]);
    if (r.exitCode === TAIL_MISSING) return null;
    if (r.exitCode !== 0) this.fail(`tail ${path}`, r);
    return r.stdout;
  }
}

/** The Machine for a Host: connects once to learn its home folder (for `~` there). Throws
 * HostUnreachableError when the host cannot be reached. */
export async function connectSshMachine(exec: SshExecutor, timeoutMs = 30_000): Promise<Machine> {
  const r = await exec.run('/bin/sh', ['-c', 'printf "%s" "$HOME"'], { timeoutMs });
  if (r.exitCode !== 0 || !r.stdout.startsWith('/')) {
    throw new RemoteFilesError(
      `cannot learn the home folder on ${exec.target}: ${r.stderr.trim() || `HOME is ${JSON.stringify(r.stdout)}`}`,
      exec.target,
      r.stderr,
    );
  }
  return { name: exec.target, exec, files: new SshFiles(exec, timeoutMs), home: r.stdout };
}
