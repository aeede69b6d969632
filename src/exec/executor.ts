// The seam every runtime runs its subprocesses and touches its files through: local today, SSH next.
//
// An Executor runs one program with an argv (never a shell on this side), optional stdin and a
// timeout, and reports exit code and output. A timeout or a signal is always a failure: exitCode
// is never 0 then. HostFiles is the matching view of files on the machine the executor runs on
// (the exit files, start files and logs of the agents there).

export interface ExecOptions {
  /** Default 30 s. The process (and, locally, its process group) is killed when it passes. */
  timeoutMs?: number;
  /** The whole environment of the process (not added to the caller's). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Written to stdin, then stdin is closed; without it stdin is /dev/null. */
  input?: string;
}

export interface ExecResult {
  /** 0 only for a clean exit with status 0; 124 after a timeout; 128+N after signal N. */
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the program could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
}

export interface Executor {
  /** Where commands run: `local`, or a Host's name. */
  readonly target: string;
  run(file: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** How many processes this executor has started (bench and tests count them). */
  readonly spawned: number;
}

export interface FileContent {
  text: string;
  mtimeMs: number;
}

/** Files on the executor's machine. Paths are absolute on that machine. Every write is atomic
 * (temp file, fsync, rename); reads of missing files leave them out of the result. */
export interface HostFiles {
  mkdir(dir: string, mode?: number): Promise<void>;
  /** Names in a folder; empty when it does not exist. */
  list(dir: string): Promise<string[]>;
  read(paths: readonly string[]): Promise<Map<string, FileContent>>;
  /** `durable: false` skips the fsync, for files read within moments and never needed after a
   * crash (launch files): still written aside and renamed, so never seen half-written. */
  write(
    files: readonly { path: string; content: string; mode?: number }[],
    options?: { durable?: boolean },
  ): Promise<void>;
  remove(paths: readonly string[]): Promise<void>;
  /** The last `maxBytes` of a file, or null when it does not exist. */
  tail(path: string, maxBytes: number): Promise<string | null>;
}

/** A machine to run agents on: its executor, its files, and its home folder (for `~`). */
export interface Machine {
  readonly name: string;
  readonly exec: Executor;
  readonly files: HostFiles;
  readonly home: string;
}
