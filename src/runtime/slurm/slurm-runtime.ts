// The Slurm runtime: agents are batch jobs named agentctl.<name>, seen through one squeue call.
import { join } from 'node:path';
import { homedir } from 'node:os';
import type { Logger } from 'pino';
import type { Exec, ExecOptions, ExecResult } from '../../util/exec.js';
import { expandHome } from '../../util/paths.js';
import { scrub } from '../../spec/secrets.js';
import {
  RuntimeError,
  type BatchResult,
  type ExitInfo,
  type Observation,
  type ObservedAgent,
  type Runtime,
  type StartRequest,
  type StopRequest,
} from '../types.js';
import { JobFiles } from './job-files.js';
import { mapLimit } from '../../util/map-limit.js';
import { isInvalidJobId, parseScontrolJob, parseSqueue, SQUEUE_ARGS, type JobRow } from './parse.js';
import { parseJobId, renderScript, sbatchArgs } from './script.js';
import { selectJobs, toObserved } from './select.js';
import { endedExit, jobPhase } from './states.js';
import { stopJobs, type StopTarget } from './stop-jobs.js';
import { tailFile } from './tail.js';

export interface SlurmRuntimeOptions {
  stateDir: string;
  owner: string;
  exec: Exec;
  log: Logger;
  /** For `~` in slurm.logsDir; defaults to $HOME. */
  home?: string;
  /** sbatch processes in flight at once (one per agent is unavoidable). */
  submitConcurrency?: number;
  /** Between the squeue polls of a stop. */
  pollMs?: number;
}

const SUBMIT_TIMEOUT_MS = 60_000;

export class SlurmRuntime implements Runtime {
  readonly name = 'slurm' as const;
  readonly files: JobFiles;

  constructor(private readonly o: SlurmRuntimeOptions) {
    this.files = new JobFiles(o.stateDir);
  }

  /** Runs a Slurm client; a missing program is a RuntimeError, any other outcome is returned. */
  async run(file: string, args: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const r = await this.o.exec(file, args, { timeoutMs: 30_000, ...options });
    if (r.spawnError) {
      throw new RuntimeError(`cannot run ${file} (${r.spawnError}): install Slurm's client tools (e.g. apt-get install slurm-client)`, { runtime: 'slurm', command: file });
    }
    return r;
  }

  /** Every job of this user, finished ones included: one squeue call. */
  async listJobs(): Promise<JobRow[]> {
    const r = await this.run('squeue', SQUEUE_ARGS);
    if (r.exitCode !== 0) {
      const why = r.timedOut ? 'timed out' : r.stderr.trim().split('\n').pop() ?? '';
      throw new RuntimeError(`squeue failed: ${why}`, { runtime: 'slurm', command: 'squeue', exitCode: r.exitCode, stderr: r.stderr });
    }
    return parseSqueue(r.stdout);
  }

  async observe(): Promise<Observation> {
    const takenAt = Date.now();
    const rows = await this.listJobs();
    const retired = await this.files.retired(new Set(rows.map((r) => r.jobId)));
    const sel = selectJobs(rows, this.o.owner, retired);
    if (sel.extraLive.length > 0) {
      this.o.log.warn({ jobs: sel.extraLive.map((r) => `${r.jobName}(${r.jobId})`) }, 'older live jobs of agents that have a newer job: they are cancelled with the agent');
    }
    const agents = new Map<string, ObservedAgent>();
    await Promise.all(
      [...sel.chosen].map(async ([name, row]) => {
        const fileExit = jobPhase(row.state) === 'ended' ? await this.files.readExit(name, row.jobId) : null;
        agents.set(name, toObserved(name, row, fileExit, takenAt));
      }),
    );
    return { runtime: 'slurm', takenAt, agents, foreign: sel.foreign };
  }

  /** A job that left squeue: its exit file, else what `scontrol show job` still remembers. */
  async exitOf(name: string, handle: string | null): Promise<ExitInfo | null> {
    if (!handle || !/^\d+$/.test(handle)) return null;
    const fromFile = await this.files.readExit(name, handle);
    const r = await this.run('scontrol', ['--oneliner', 'show', 'job', handle]);
    const job = r.exitCode === 0 ? parseScontrolJob(r.stdout) : null;
    if (!job) {
      if (r.exitCode !== 0 && !isInvalidJobId(r.stderr)) this.o.log.warn({ agent: name, jobId: handle, stderr: r.stderr.trim() }, 'scontrol show job failed');
      return fromFile;
    }
    if (jobPhase(job.state) !== 'ended') return null;
    return endedExit(job.state, fromFile, job.exit, fromFile?.at ?? job.endTime ?? Date.now());
  }

  async start(requests: StartRequest[]): Promise<BatchResult> {
    const result: BatchResult = new Map();
    if (requests.length === 0) return result;
    const home = this.o.home ?? process.env.HOME ?? homedir();
    const plans = requests.map((req) => {
      const logsDir = req.slurm?.logsDir ? expandHome(req.slurm.logsDir, home) : this.files.defaultLogsDir;
      const output = join(logsDir, `${req.name}.out`);
      const input = { name: req.name, argv: req.argv, slurm: req.slurm, exitDir: this.files.runDir, hash: req.hash, owner: this.o.owner, workdir: req.workdir, output };
      try {
        return { req, logsDir, output, script: renderScript(input), args: sbatchArgs(input) };
      } catch (err) {
        result.set(req.name, { error: new RuntimeError(`cannot submit agent ${req.name}: ${(err as Error).message}`, { runtime: 'slurm' }, { cause: err }) });
        return undefined;
      }
    });
    await this.files.prepare();
    const ready = plans.filter((p) => p !== undefined);
    await this.files.clearExits(new Set(ready.map((p) => p.req.name)));
    await mapLimit(ready, this.o.submitConcurrency ?? 8, async (p) => {
      try {
        await this.files.prepareLogsDir(p.logsDir);
      } catch (err) {
        result.set(p.req.name, { error: new RuntimeError(`cannot create the logs folder ${p.logsDir}: ${(err as Error).message}`, { runtime: 'slurm' }, { cause: err }) });
        return;
      }
      // The script goes on stdin and env values in sbatch's own environment (--export=ALL):
      // neither reaches argv (ps) nor a file on disk.
      let r: ExecResult;
      try {
        r = await this.run('sbatch', p.args, { input: p.script, env: p.req.env, timeoutMs: SUBMIT_TIMEOUT_MS });
      } catch (err) {
        result.set(p.req.name, { error: err as Error });
        return;
      }
      const jobId = r.exitCode === 0 ? parseJobId(r.stdout) : null;
      if (jobId === null) {
        const stderr = scrub(r.stderr, p.req.secrets).trim();
        const why = r.timedOut
          ? `sbatch timed out after ${SUBMIT_TIMEOUT_MS / 1000}s (the job may still appear in the queue)`
          : `sbatch failed: ${stderr.split('\n').pop() || `exit code ${r.exitCode}`}`;
        result.set(p.req.name, { error: new RuntimeError(why, { runtime: 'slurm', command: 'sbatch', exitCode: r.exitCode, stderr }) });
        return;
      }
      // The job is submitted whatever happens here: a lost pointer only sends `logs` to the default place.
      await this.files.rememberOutput(p.req.name, p.output).catch((err: Error) => this.o.log.warn({ agent: p.req.name, error: err.message }, 'cannot record the output path'));
      this.o.log.debug({ agent: p.req.name, jobId }, 'submitted');
      result.set(p.req.name, { handle: jobId });
    });
    return result;
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
      scancel: (args) => this.run('scancel', args),
      log: this.o.log,
      pollMs: this.o.pollMs ?? 100,
    });
    for (const [name, err] of failed) result.set(name, { error: err });
    return result;
  }

  async logs(name: string, lines: number): Promise<string> {
    const path = await this.files.outputOf(name);
    try {
      return await tailFile(path, lines);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new RuntimeError(`no output yet for Slurm agent "${name}" (its job writes to ${path})`, { runtime: 'slurm' }, { cause: err });
      }
      throw new RuntimeError(`cannot read ${path}: ${(err as Error).message}`, { runtime: 'slurm' }, { cause: err });
    }
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
    throw new RuntimeError(
      `attach is not available for Slurm agents: a batch job has no terminal to attach to. Follow its output with \`agentctl logs -f ${name}\`${srun}`,
      { runtime: 'slurm' },
    );
  }
}
