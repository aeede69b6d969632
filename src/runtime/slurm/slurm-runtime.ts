// The Slurm runtime: agents are batch jobs named agentctl.<name>, seen through one squeue call.
import type { Logger } from 'pino';
import type { Machine } from '../../exec/executor.js';
import { parseSizes, planFileRead, splitRead } from '../file-follow.js';
import type { LogCursor, LogRead } from '../log-cursor.js';
import { runTool } from '../run-tool.js';
import { RuntimeError, type BatchResult, type ExitInfo, type Observation, type ObservedAgent, type Runtime, type StartRequest, type StopRequest } from '../types.js';
import { SlurmClient } from './client.js';
import { JobFiles } from './job-files.js';
import { isInvalidJobId, parseScontrolJob, type JobRow } from './parse.js';
import { selectJobs, toObserved } from './select.js';
import { endedExit, jobPhase } from './states.js';
import { stopJobs, type StopTarget } from './stop-jobs.js';
import { submitJobs } from './submit.js';
import { lastLines, TAIL_BYTES } from './tail.js';

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

  constructor(private readonly o: SlurmRuntimeOptions) {
    this.files = new JobFiles(o.machine.files, o.runDir, o.logsDir);
    this.client = new SlurmClient(o.machine.exec);
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
    const targets: StopTarget[] = [];
    for (const req of requests) {
      // The observed job, and any live job of ours for this agent: stopped means none runs.
      const ids = new Set<string>(req.observed ? [req.observed.handle] : []);
      for (const r of sel.extraLive) if (r.agent === req.name) ids.add(r.jobId);
      const current = sel.chosen.get(req.name);
      if (current && jobPhase(current.state) !== 'ended') ids.add(current.jobId);
      await this.files.retire(req.name, ids);
      for (const id of ids) targets.push({ name: req.name, jobId: id, graceSeconds: req.graceSeconds });
    }
    const failed = await stopJobs(targets, rows, {
      list: () => this.listJobs(),
      scancel: (args) => this.client.run('scancel', args),
      log: this.o.log,
      pollMs: this.o.pollMs ?? 100,
    });
    for (const [name, err] of failed) result.set(name, { error: err });
    return result;
  }

  async logs(name: string, lines: number): Promise<string> {
    const path = await this.files.outputOf(name);
    const text = await this.o.machine.files.tail(path, TAIL_BYTES);
    if (text === null) throw new RuntimeError(`no output yet for Slurm agent "${name}" (its job writes to ${path})`, { runtime: 'slurm' });
    return lastLines(text, lines);
  }

  /** New complete lines of the job's output file since `cursor`: its size, then the bytes after
   * the cursor, read on the machine the job's files are on. */
  async follow(name: string, cursor: LogCursor | null, backlog: number): Promise<LogRead> {
    const path = await this.files.outputOf(name);
    const exec = this.o.machine.exec;
    const st = await runTool(exec, 'slurm', 'stat', ['-c', '%s', '--', path], 'stat is part of coreutils', { timeoutMs: 10_000 });
    if (st.exitCode !== 0 || !/^\d+$/.test(st.stdout.trim())) throw new RuntimeError(`no output yet for Slurm agent "${name}" (its job writes to ${path})`, { runtime: 'slurm' });
    const plan = planFileRead(cursor?.kind === 'file' ? cursor : null, path, Number(st.stdout.trim()));
    const r = await runTool(exec, 'slurm', 'tail', ['-c', `+${plan.from + 1}`, '--', path], 'tail is part of coreutils', { timeoutMs: 10_000 });
    if (r.exitCode !== 0) throw new RuntimeError(`cannot read ${path}: ${r.stderr.trim()}`, { runtime: 'slurm', stderr: r.stderr });
    const { lines, positions, offset } = splitRead(r.stdout, plan, backlog);
    return { lines, positions, cursor: { kind: 'file', path, offset }, ...(plan.skipped ? { skipped: true } : {}) };
  }

  /** Where each agent's output file ends now (one stat for all): the output clock's samples. */
  async outputMarks(names: readonly string[]): Promise<Map<string, LogCursor>> {
    if (names.length === 0) return new Map();
    const paths = new Map<string, string>();
    for (const n of names) paths.set(n, await this.files.outputOf(n));
    // Exit 1 when some file does not exist (yet): the others are still printed.
    const r = await runTool(this.o.machine.exec, 'slurm', 'stat', ['-c', '%s %n', '--', ...new Set(paths.values())], 'stat is part of coreutils', { timeoutMs: 10_000 });
    const sizes = parseSizes(r.stdout);
    const out = new Map<string, LogCursor>();
    for (const [n, p] of paths) {
      const size = sizes.get(p);
      if (size !== undefined) out.set(n, { kind: 'file', path: p, offset: size });
    }
    return out;
  }

  async attach(name: string): Promise<number> {
    let job: JobRow | undefined;
    try {
      job = selectJobs(await this.listJobs(), this.o.owner).chosen.get(name);
    } catch {
      /* the message below stands without the job id */
    }
    const live = job && jobPhase(job.state) === 'running';
    const srun = live ? `, or open a shell inside its allocation with \`srun --jobid=${job!.jobId} --overlap --pty bash\`` : '';
    throw new RuntimeError(`attach is not available for Slurm agents: a batch job has no terminal to attach to. Follow its output with \`agentctl logs -f ${name}\`${srun}`, { runtime: 'slurm' });
  }
}
