// The terminal of an interactive job: its tmux session read, typed into and attached to through `srun --overlap`.
import { execa } from 'execa';
import type { Logger } from 'pino';
import type { Machine } from '../../exec/executor.js';
import { TmuxRuntime } from '../tmux/tmux-runtime.js';
import { RuntimeError, type KeyStep } from '../types.js';
import { jobSocket } from './interactive-script.js';
import type { JobRow } from './parse.js';
import { jobMachine, stepArgs, type StepPlace } from './srun-exec.js';

export interface TerminalOptions {
  machine: Machine;
  runDir: string;
  owner: string;
  baseEnv: Record<string, string>;
  log: Logger;
}

/** The tmux view of one session on a private server: a job's own, or an allocation's. */
export function tmuxInJob(o: TerminalOptions, place: StepPlace, socket: string, runDir = o.runDir): TmuxRuntime {
  return new TmuxRuntime({
    socket,
    machine: jobMachine(o.machine, place),
    runDir,
    owner: o.owner,
    baseEnv: o.baseEnv,
    log: o.log,
  });
}

export class JobTerminals {
  constructor(private readonly o: TerminalOptions) {}

  private tmux(job: JobRow): TmuxRuntime {
    return tmuxInJob(this.o, { jobId: job.jobId, node: job.batchHost }, jobSocket(job.jobId));
  }

  /** The last lines of the session's pane (scrollback included). */
  logs(job: JobRow, name: string, lines: number): Promise<string> {
    return this.tmux(job).logs(name, lines);
  }

  async capture(job: JobRow, name: string): Promise<string | undefined> {
    return (await this.tmux(job).capture([name])).get(name);
  }

  sendKeys(job: JobRow, name: string, steps: readonly KeyStep[]): Promise<void> {
    return this.tmux(job).sendKeys(name, steps);
  }

  /** `srun --jobid --overlap --pty tmux attach`: the user's terminal, so not through the executor. */
  attach(job: JobRow, name: string): Promise<number> {
    return attachInJob(this.o.machine, { jobId: job.jobId, node: job.batchHost }, jobSocket(job.jobId), name);
  }
}

/** Attaches the caller's terminal to session `name` on `socket` inside a job. */
export async function attachInJob(machine: Machine, place: StepPlace, socket: string, name: string): Promise<number> {
  if (machine.name !== 'local')
    throw new RuntimeError(`attach to a Slurm agent on ${machine.name} goes through ssh -t (not wired yet)`, {
      runtime: 'slurm',
    });
  const env = { ...process.env };
  delete env.TMUX;
  delete env.TMUX_TMPDIR;
  const args = [
    ...stepArgs(place, 'agentctl-attach'),
    '--pty',
    'tmux',
    '-N',
    '-L',
    socket,
    'attach-session',
    '-t',
    `=${name}`,
  ];
  const r = await execa('srun', args, { stdio: 'inherit', reject: false, env, extendEnv: false });
  return r.exitCode ?? 1;
}
