// The Slurm runtime: agents are batch jobs named agentctl.<name>, seen through one squeue call.
import type { Logger } from 'pino';
import type { Machine } from '../../exec/executor.js';
import { RuntimeError, type BatchResult, type ExitInfo, type KeyStep, type Observation, type ObservedAgent, type Runtime, type StartRequest, type StopRequest } from '../types.js';
import { SlurmClient } from './client.js';
import { JobFiles } from './job-files.js';
import { isInvalidJobId, parseComment, parseScontrolJob, type JobRow } from './parse.js';
import { selectJobs, toObserved } from './select.js';
import { endedExit, jobPhase } from './states.js';
import { stopJobs, type StopTarget } from './stop-jobs.js';
import { submitJobs } from './submit.js';
import { lastLines, TAIL_BYTES } from './tail.js';
import { JobTerminals } from './terminal.js';

export interface SlurmRuntimeOptions {
  machine: Machine;
  /** The run folder on that machine (exit files, retired marks, output pointers). */
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

export class SlurmRuntime implements Runtime {
  readonly name = 'slurm' as const;
  readonly files: JobFiles;
  readonly client: SlurmClient;

  private readonly terminals: JobTerminals;

  constructor(private readonly o: SlurmRuntimeOptions) {
    this.files = new JobFiles(o.machine.files, o.runDir, o.logsDir);
    this.client = new SlurmClient(o.machine.exec);
    this.terminals = new JobTerminals(o);
  }

  listJobs(): Promise<JobRow[]> {
    return this.client.listJobs();
  }

  async observe(): Promise<Observation> {
    const takenAt = Date.now();
    const rows = await this.listJobs();
    const retired = await this.files.retired(new Set(rows.map((r) => r.jobId)));
    const sel = selectJobs(rows, this.o.owner, retired);
    if (sel.extraLive.length > 0) {
      this.o.log.warn({ jobs: sel.extraLive.map((r) => `${r.jobName}(${r.jobId})`) }, 'older live jobs of agents that have a newer job: they are cancelled with the agent');
    }
    const ended = [...sel.chosen].filter(([, row]) => jobPhase(row.state) === 'ended').map(([name, row]) => ({ name, handle: row.jobId }));
    const exits = ended.length > 0 ? await this.files.exits.readMany(ended) : new Map<string, ExitInfo>();
    const agents = new Map<string, ObservedAgent>();
    for (const [name, row] of sel.chosen) agents.set(name, toObserved(name, row, exits.get(name) ?? null, takenAt));
    return { runtime: 'slurm', takenAt, agents, foreign: sel.foreign };
  }

  /** A job that left squeue: its exit file, else what `scontrol show job` still remembers. */
  async exitOf(name: string, handle: string | null): Promise<ExitInfo | null> {
    if (!handle || !/^\d+$/.test(handle)) return null;
    const fromFile = await this.files.readExit(name, handle);
    const r = await this.client.run('scontrol', ['--oneliner', 'show', 'job', handle]);
    const job = r.exitCode === 0 ? parseScontrolJob(r.stdout) : null;
    if (!job) {
      if (r.exitCode !== 0 && !isInvalidJobId(r.stderr)) this.o.log.warn({ agent: name, jobId: handle, stderr: r.stderr.trim() }, 'scontrol show job failed');
      return fromFile;
    }
    if (jobPhase(job.state) !== 'ended') return null;
    return endedExit(job.state, fromFile, job.exit, fromFile?.at ?? job.endTime ?? Date.now());
  }

  start(requests: StartRequest[]): Promise<BatchResult> {
    const o = this.o;
    return submitJobs({ client: this.client, files: this.files, owner: o.owner, home: o.machine.home, baseEnv: o.baseEnv, log: o.log, concurrency: o.submitConcurrency ?? 8 }, requests);
  }

  async stop(requests: StopRequest[]): Promise<BatchResult> {
    const result: BatchResult = new Map(requests.map((r) => [r.name, {}]));
    if (requests.length === 0) return result;
    const rows = await this.listJobs();
    const sel = selectJobs(rows, this.o.owner);
    const byId = new Map(rows.map((r) => [r.jobId, r]));
    const targets: StopTarget[] = [];
    for (const req of requests) {
      // The observed job, and any live job of ours for this agent: stopped means none runs.
      const ids = new Set<string>(req.observed ? [req.observed.handle] : []);
      for (const r of sel.extraLive) if (r.agent === req.name) ids.add(r.jobId);
      const current = sel.chosen.get(req.name);
      if (current && jobPhase(current.state) !== 'ended') ids.add(current.jobId);
      await this.files.retire(req.name, ids);
      for (const id of ids) targets.push({ name: req.name, jobId: id, graceSeconds: req.graceSeconds, tty: parseComment(byId.get(id)?.comment ?? null).tty });
    }
    const failed = await stopJobs(targets, rows, {
      list: () => this.listJobs(),
      scancel: (args) => this.client.run('scancel', args),
      srun: (args) => this.client.run('srun', args, { timeoutMs: 30_000 }),
      log: this.o.log,
      pollMs: this.o.pollMs ?? 100,
    });
    for (const [name, err] of failed) result.set(name, { error: err });
    return result;
  }

  /** The job that stands for the agent now, with whether it has a terminal and it runs. */
  private async jobOf(name: string): Promise<{ job: JobRow; terminal: boolean } | undefined> {
    const job = selectJobs(await this.listJobs(), this.o.owner).chosen.get(name);
    return job && { job, terminal: job.state === 'RUNNING' && parseComment(job.comment).tty };
  }

  /** The job's output file; for an interactive job that runs, its pane after it. */
  async logs(name: string, lines: number): Promise<string> {
    const path = await this.files.outputOf(name);
    const text = await this.o.machine.files.tail(path, TAIL_BYTES);
    const at = await this.jobOf(name).catch(() => undefined);
    const pane = at?.terminal ? await this.terminals.logs(at.job, name, lines).catch(() => '') : '';
    if (text === null && !pane) throw new RuntimeError(`no output yet for Slurm agent "${name}" (its job writes to ${path})`, { runtime: 'slurm' });
    return lastLines(`${text ?? ''}${pane}`, lines);
  }

  async capture(names: readonly string[]): Promise<Map<string, string>> {
    const sel = selectJobs(await this.listJobs(), this.o.owner);
    const out = new Map<string, string>();
    await Promise.all(names.map(async (n) => {
      const job = sel.chosen.get(n);
      if (!job || job.state !== 'RUNNING' || !parseComment(job.comment).tty) return;
      const screen = await this.terminals.capture(job, n).catch(() => undefined);
      if (screen !== undefined) out.set(n, screen);
    }));
    return out;
  }

  async sendKeys(name: string, steps: readonly KeyStep[]): Promise<void> {
    const at = await this.jobOf(name);
    if (!at?.terminal) throw new RuntimeError(noTerminal(name, at?.job), { runtime: 'slurm' });
    await this.terminals.sendKeys(at.job, name, steps);
  }

  async attach(name: string): Promise<number> {
    const at = await this.jobOf(name).catch(() => undefined);
    if (at?.terminal) return this.terminals.attach(at.job, name);
    throw new RuntimeError(noTerminal(name, at?.job), { runtime: 'slurm' });
  }
}

/** Why an agent has no terminal to type into or attach to, and what to do instead. */
function noTerminal(name: string, job: JobRow | undefined): string {
  if (job && jobPhase(job.state) === 'pending') return `Slurm agent "${name}" is still queued (job ${job.jobId}${job.reason ? `, ${job.reason}` : ''}): it has no terminal yet`;
  if (!job || jobPhase(job.state) === 'ended') return `Slurm agent "${name}" is not running`;
  return `Slurm agent "${name}" runs as a batch job without a terminal (set slurm.interactive: true to give it one). Follow its output with \`agentctl logs -f ${name}\`, or open a shell inside its allocation with \`srun --jobid=${job.jobId} --overlap --pty bash\``;
}
