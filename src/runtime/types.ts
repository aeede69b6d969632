// The contract between the controller and a runtime adapter (tmux, Slurm): observe, start, stop, logs, keys.
import type { RuntimeName } from '../spec/schema.js';
import type { TmuxKey } from '../terminal/key-names.js';
import type { RuntimeCapabilities } from './capabilities.js';

export interface ExitInfo {
  /** Exit code as the shell reports it (128+N after signal N); null when unknown. */
  code: number | null;
  /** Signal name when the process was killed by one (derived from a code above 128). */
  signal: string | null;
  /** Epoch milliseconds. */
  at: number;
}

export interface ObservedAgent {
  name: string;
  runtime: RuntimeName;
  /** Identifies this incarnation: a restart gives a new handle. */
  handle: string;
  /** `@agentctl-hash` or the Slurm comment; null when the live object carries none. */
  hash: string | null;
  /** `@agentctl-owner`; null when not marked. */
  owner: string | null;
  /** The agent's process is running (or, for Slurm, queued to run). */
  alive: boolean;
  /** Queued but not running yet (Slurm PENDING). */
  pending?: boolean;
  /** Why it is pending, as the runtime says (Slurm `Resources`, `Priority`). */
  reason?: string;
  /** Set once the process has exited and its object is still there (tmux remain-on-exit). */
  exit?: ExitInfo;
  pid?: number;
  /** Epoch milliseconds. */
  startedAt?: number;
  /** Where it runs (Slurm node) and the runtime's own state word. */
  node?: string;
  state?: string;
  /** Epoch ms when the runtime will end it (a Slurm job's time limit). */
  endsAt?: number;
  /** The handle of a successor already queued to take over at `endsAt` (slurm.walltimeRollover). */
  successor?: string;
}

export interface Observation {
  runtime: RuntimeName;
  /** Epoch milliseconds when the observation was taken. */
  takenAt: number;
  agents: Map<string, ObservedAgent>;
  /** Live objects on our socket / of our user that carry no mark of ours: left alone, reported. */
  foreign: string[];
}

export interface StartRequest {
  name: string;
  argv: string[];
  /** Absolute, ~ already expanded. */
  workdir: string;
  env: Record<string, string>;
  /** Values of `env` that are secrets (from envFiles or secret-looking keys): never printed. */
  secrets: string[];
  hash: string;
  /** Spec fields a runtime may need beyond the process (Slurm directives, logs dir). */
  slurm?: import('../spec/schema.js').SlurmSpec;
  /** Start the new incarnation as the successor of this live one: it waits until that one ends
   * (Slurm: `--dependency=singleton`), and the live one stays the agent's until then. */
  successorOf?: string;
}

export interface StopRequest {
  name: string;
  /** The observed incarnation to stop; stop is a no-op when it is already gone. */
  observed?: ObservedAgent;
  graceSeconds: number;
  /** End only the observed incarnation; a successor queued to take over stays (walltime rollover). */
  keepSuccessor?: boolean;
}

/** Per-name outcome of a batched call: an error, or on a start the new incarnation's handle. */
export interface Outcome {
  error?: Error;
  handle?: string;
}
export type BatchResult = Map<string, Outcome>;

/** One step of typing into a terminal: literal text (never interpreted as key names) or a named key. */
export type KeyStep = { text: string } | { key: TmuxKey };

export interface Runtime {
  readonly name: RuntimeName;
  /** What it can do: asked instead of comparing runtime names. */
  readonly capabilities: RuntimeCapabilities;
  observe(): Promise<Observation>;
  start(requests: StartRequest[]): Promise<BatchResult>;
  stop(requests: StopRequest[]): Promise<BatchResult>;
  /** Exit of an incarnation that has left the runtime (session killed, job left the queue). */
  exitOf(name: string, handle: string | null): Promise<ExitInfo | null>;
  logs(name: string, lines: number): Promise<string>;
  /** `logs -f`: complete lines written since `cursor`, or the last `backlog` lines without one;
   * never a line twice. Throws while the agent has no output to read (not started, restarting). */
  follow?(
    name: string,
    cursor: import('./log-cursor.js').LogCursor | null,
    backlog: number,
  ): Promise<import('./log-cursor.js').LogRead>;
  /** Where each agent's output ends now, read in one call: the controller samples it (output clock). */
  outputMarks?(names: readonly string[]): Promise<Map<string, import('./log-cursor.js').LogCursor>>;
  /** Attaches the terminal; resolves with the exit code of the attaching process. */
  attach(name: string): Promise<number>;
  /** Runtimes with a terminal: type into an agent's terminal. */
  sendKeys?(name: string, steps: readonly KeyStep[]): Promise<void>;
  /** Runtimes with a terminal: type into many agents with one call; the error of each agent not
   * typed into. */
  sendKeysMany?(batch: ReadonlyMap<string, readonly KeyStep[]>): Promise<Map<string, Error>>;
  /** Runtimes with a terminal: the visible screen of many agents, read in one call. */
  capture?(names: readonly string[]): Promise<Map<string, string>>;
  /** A check that costs no subprocess: whether the runtime's server still answers (a tmux server
   * killed with its sessions). Absent where no such check exists. */
  serverAlive?(): Promise<boolean>;
  /** Removes what a crash may have left behind (launch files holding secrets): called once when
   * a controller or --once starts. */
  sweep?(): Promise<void>;
}

export class RuntimeError extends Error {
  constructor(
    message: string,
    readonly details: { runtime: RuntimeName; command?: string; exitCode?: number; stderr?: string },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RuntimeError';
  }
}
