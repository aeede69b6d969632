// The Slurm runtime: agents are batch jobs named agentctl.<name> (seen through one squeue call), or sessions inside an allocation.
import { slurmCapabilities } from '../capabilities.js';
import type { Logger } from 'pino';
import type { Machine } from '../../exec/executor.js';
import {
  RuntimeError,
  type BatchResult,
  type ExitInfo,
  type KeyStep,
  type Observation,
  type ObservedAgent,
  type Runtime,
  type StartRequest,
  type StopRequest,
} from '../types.js';
import { AllocationAgents } from './allocation-agents.js';
import type { AllocationJob } from './allocation.js';
import { parseSizes, planFileRead, splitRead } from '../file-follow.js';
import type { LogCursor, LogRead } from '../log-cursor.js';
import { runTool } from '../run-tool.js';
import { SlurmClient } from './client.js';
import { JobFiles } from './job-files.js';
import { isInvalidJobId, parseComment, parseScontrolJob, type JobRow } from './parse.js';
import { selectJobs, stopTargets, toObserved } from './select.js';
import { endedExit, jobPhase } from './states.js';
import { stopJobs } from './stop-jobs.js';
import { submitJobs } from './submit.js';
import { lastLines, TAIL_BYTES } from './tail.js';
import { JobTerminals } from './terminal.js';

export interface SlurmRuntimeOptions {
  machine: Machine;
  /** The run folder on that machine (exit files, retired marks, output pointers, placements). */
  runDir: string;
  /** Where job output goes unless slurm.logsDir says otherwise. */
  logsDir: string;
  owner: string;
  baseEnv: Record<string, string>;
  log: Logger;
  submitConcurrency?: number;
  /** Between the squeue polls of a stop. */
  pollMs?: number;
}

/** Where an agent's terminal is: its interactive job, or its session in an allocation. */
type Terminal = { job: JobRow; alloc?: undefined } | { alloc: AllocationJob; job?: undefined };

const isJobId = (handle: string): boolean => /^\d+$/.test(handle);

export class SlurmRuntime implements Runtime {
  readonly name = 'slurm' as const;
  readonly capabilities = slurmCapabilities;
  readonly files: JobFiles;
  readonly client: SlurmClient;
  readonly allocations: AllocationAgents;
  private readonly terminals: JobTerminals;

  constructor(private readonly o: SlurmRuntimeOptions) {
    this.files = new JobFiles(o.machine.files, o.runDir, o.logsDir);
    this.client = new SlurmClient(o.machine.exec);
    this.terminals = new JobTerminals(o);
    this.allocations = new AllocationAgents(o);
  }

  listJobs(): Promise<JobRow[]> {
    return this.client.listJobs();
  }

  /** One squeue for every job, and one tmux list per allocation that holds agents. */
  async observe(): Promise<Observation> {
    const takenAt = Date.now();
    const rows = await this.listJobs();
    const retired = await this.files.retired(new Set(rows.map((r) => r.jobId)));
    const sel = selectJobs(rows, this.o.owner, retired);
    if (sel.extraLive.length > 0) {
      this.o.log.warn(
        { jobs: sel.extraLive.map((r) => `${r.jobName}(${r.jobId})`) },
        'older live jobs of agents that have a newer job: they are cancelled with the agent',
      );
    }
    const ended = [...sel.chosen]
      .filter(([, row]) => jobPhase(row.state) === 'ended')
      .map(([name, row]) => ({ name, handle: row.jobId }));
    const exits = ended.length > 0 ? await this.files.exits.readMany(ended) : new Map<string, ExitInfo>();
    const agents = new Map<string, ObservedAgent>();
    for (const [name, row] of sel.chosen)
      agents.set(name, toObserved(name, row, exits.get(name) ?? null, takenAt, sel.successors.get(name)));
    const inAllocations = await this.allocations.observe(rows);
    // An agent moved between a job and an allocation: the live incarnation stands for it.
    for (const [name, a] of inAllocations.agents) if (a.alive || !agents.get(name)?.alive) agents.set(name, a);
    return { runtime: 'slurm', takenAt, agents, foreign: [...sel.foreign, ...inAllocations.foreign].sort() };
  }

  /** A job that left squeue: its exit file, else what `scontrol show job` still remembers; a
   * session in an allocation: its exit file. */
  async exitOf(name: string, handle: string | null): Promise<ExitInfo | null> {
    if (!handle) return null;
    if (!isJobId(handle)) return this.allocations.exitOf(name, handle);
    const fromFile = await this.files.readExit(name, handle);
    const r = await this.client.run('scontrol', ['--oneliner', 'show', 'job', handle]);
    const job = r.exitCode === 0 ? parseScontrolJob(r.stdout) : null;
    if (!job) {
      if (r.exitCode !== 0 && !isInvalidJobId(r.stderr))
        this.o.log.warn({ agent: name, jobId: handle, stderr: r.stderr.trim() }, 'scontrol show job failed');
      return fromFile;
    }
    if (jobPhase(job.state) !== 'ended') return null;
    return endedExit(job.state, fromFile, job.exit, fromFile?.at ?? job.endTime ?? Date.now());
  }

  async start(requests: StartRequest[]): Promise<BatchResult> {
    const o = this.o;
    const inAllocation = requests.filter((r) => r.slurm?.allocation);
    const asJobs = requests.filter((r) => !r.slurm?.allocation);
    const [a, b] = await Promise.all([
      inAllocation.length > 0 ? this.allocations.start(inAllocation, await this.listJobs()) : new Map(),
      submitJobs(
        {
          client: this.client,
          files: this.files,
          owner: o.owner,
          home: o.machine.home,
          baseEnv: o.baseEnv,
          log: o.log,
          concurrency: o.submitConcurrency ?? 8,
        },
        asJobs,
      ),
    ]);
    return new Map([...a, ...b]);
  }

  /** Every incarnation of the agents stops: their jobs, and their sessions in allocations. */
  async stop(requests: StopRequest[]): Promise<BatchResult> {
    const result: BatchResult = new Map(requests.map((r) => [r.name, {}]));
    if (requests.length === 0) return result;
    const rows = await this.listJobs();
    const [failed, sessions] = await Promise.all([
      this.stopJobs(requests, rows),
      this.allocations.stop(requests, rows),
    ]);
    for (const [name, o] of sessions) if (o.error) result.set(name, o);
    for (const [name, err] of failed) result.set(name, { error: err });
    return result;
  }

  private async stopJobs(requests: readonly StopRequest[], rows: readonly JobRow[]): Promise<Map<string, Error>> {
    const targets = stopTargets(requests, rows, this.o.owner);
    if (targets.length === 0) return new Map();
    for (const req of requests)
      await this.files.retire(
        req.name,
        targets.filter((t) => t.name === req.name).map((t) => t.jobId),
      );
    return stopJobs(targets, rows, {
      list: () => this.listJobs(),
      scancel: (args) => this.client.run('scancel', args),
      srun: (args) => this.client.run('srun', args, { timeoutMs: 30_000 }),
      log: this.o.log,
      pollMs: this.o.pollMs ?? 100,
    });
  }

  /** The agent's terminal, when it has one now; otherwise its job (if any), for the message. */
  private async terminalOf(name: string, rows?: readonly JobRow[]): Promise<{ at?: Terminal; job?: JobRow }> {
    const all = rows ?? (await this.listJobs());
    const alloc = await this.allocations.where(name, all);
    if (alloc) return { at: { alloc } };
    const job = selectJobs(all, this.o.owner).chosen.get(name);
    if (job && job.state === 'RUNNING' && parseComment(job.comment).tty) return { at: { job }, job };
    return job ? { job } : {};
  }

  /** The job's output file and, when the agent has a terminal, its pane after it. */
  async logs(name: string, lines: number): Promise<string> {
    const { at } = await this.terminalOf(name).catch(() => ({ at: undefined }));
    if (at?.alloc) return this.allocations.logs(at.alloc, name, lines);
    const path = await this.files.outputOf(name);
    const text = await this.o.machine.files.tail(path, TAIL_BYTES);
    const pane = at?.job ? await this.terminals.logs(at.job, name, lines).catch(() => '') : '';
    if (text === null && !pane)
      throw new RuntimeError(`no output yet for Slurm agent "${name}" (its job writes to ${path})`, {
        runtime: 'slurm',
      });
    return lastLines(`${text ?? ''}${pane}`, lines);
  }

  async capture(names: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.listJobs();
    const out = new Map<string, string>();
    await Promise.all(
      names.map(async (n) => {
        const { at } = await this.terminalOf(n, rows);
        const screen = at?.alloc
          ? (await this.allocations.capture(at.alloc, [n]).catch(() => new Map<string, string>())).get(n)
          : at?.job
            ? await this.terminals.capture(at.job, n).catch(() => undefined)
            : undefined;
        if (screen !== undefined) out.set(n, screen);
      }),
    );
    return out;
  }

  async sendKeys(name: string, steps: readonly KeyStep[]): Promise<void> {
    const { at, job } = await this.terminalOf(name);
    if (at?.alloc) return this.allocations.sendKeys(at.alloc, name, steps);
    if (at?.job) return this.terminals.sendKeys(at.job, name, steps);
    throw new RuntimeError(noTerminal(name, job), { runtime: 'slurm' });
  }

  /** New complete lines of the job's output file since `cursor`: its size, then the bytes after
   * the cursor, read on the machine the job's files are on. */
  async follow(name: string, cursor: LogCursor | null, backlog: number): Promise<LogRead> {
    const path = await this.files.outputOf(name);
    const exec = this.o.machine.exec;
    const st = await runTool(exec, 'slurm', 'stat', ['-c', '%s', '--', path], 'stat is part of coreutils', {
      timeoutMs: 10_000,
    });
    if (st.exitCode !== 0 || !/^\d+$/.test(st.stdout.trim()))
      throw new RuntimeError(`no output yet for Slurm agent "${name}" (its job writes to ${path})`, {
        runtime: 'slurm',
      });
    const plan = planFileRead(cursor?.kind === 'file' ? cursor : null, path, Number(st.stdout.trim()));
    const r = await runTool(
      exec,
      'slurm',
      'tail',
      ['-c', `+${plan.from + 1}`, '--', path],
      'tail is part of coreutils',
      { timeoutMs: 10_000 },
    );
    if (r.exitCode !== 0)
      throw new RuntimeError(`cannot read ${path}: ${r.stderr.trim()}`, { runtime: 'slurm', stderr: r.stderr });
    const { lines, positions, offset } = splitRead(r.stdout, plan, backlog);
    return { lines, positions, cursor: { kind: 'file', path, offset }, ...(plan.skipped ? { skipped: true } : {}) };
  }

  /** Where each agent's output file ends now (one stat for all): the output clock's samples. */
  async outputMarks(names: readonly string[]): Promise<Map<string, LogCursor>> {
    if (names.length === 0) return new Map();
    const paths = new Map<string, string>();
    for (const n of names) paths.set(n, await this.files.outputOf(n));
    // Exit 1 when some file does not exist (yet): the others are still printed.
    const r = await runTool(
      this.o.machine.exec,
      'slurm',
      'stat',
      ['-c', '%s %n', '--', ...new Set(paths.values())],
      'stat is part of coreutils',
      { timeoutMs: 10_000 },
    );
    const sizes = parseSizes(r.stdout);
    const out = new Map<string, LogCursor>();
    for (const [n, p] of paths) {
      const size = sizes.get(p);
      if (size !== undefined) out.set(n, { kind: 'file', path: p, offset: size });
    }
    return out;
  }

  async attach(name: string): Promise<number> {
    const { at, job } = await this.terminalOf(name).catch(() => ({ at: undefined, job: undefined }));
    if (at?.alloc) return this.allocations.attach(at.alloc, name);
    if (at?.job) return this.terminals.attach(at.job, name);
    throw new RuntimeError(noTerminal(name, job), { runtime: 'slurm' });
  }
}

/** Why an agent has no terminal to type into or attach to, and what to do instead. */
function noTerminal(name: string, job: JobRow | undefined): string {
  if (job && jobPhase(job.state) === 'pending')
    return `Slurm agent "${name}" is still queued (job ${job.jobId}${job.reason ? `, ${job.reason}` : ''}): it has no terminal yet`;
  if (!job || jobPhase(job.state) === 'ended') return `Slurm agent "${name}" is not running`;
  return `Slurm agent "${name}" runs as a batch job without a terminal (set slurm.interactive: true to give it one). Follow its output with \`agentctl logs -f ${name}\`, or open a shell inside its allocation with \`srun --jobid=${job.jobId} --overlap --pty bash\``;
}
