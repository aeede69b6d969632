// Stopping jobs in batches: queued ones cancelled, running ones TERM → grace → KILL step, then confirmed ended.
import type { Logger } from 'pino';
import type { ExecResult } from '../../exec/executor.js';
import { gracefulStop } from '../graceful-stop.js';
import { RuntimeError } from '../types.js';
import { killStepArgs, parseKillReport } from './kill-step.js';
import type { JobRow } from './parse.js';
import { jobPhase } from './states.js';

export interface StopTarget {
  name: string;
  jobId: string;
  graceSeconds: number;
  /** An interactive job: TERM goes to its batch shell, which passes it to the agent's pane
   * (a TERM to every process would end the tmux server, and the agent would get a hangup). */
  tty?: boolean;
}

export interface StopDeps {
  /** One squeue call. */
  list(): Promise<JobRow[]>;
  scancel(args: string[]): Promise<ExecResult>;
  srun(args: string[]): Promise<ExecResult>;
  log: Logger;
  /** First poll interval; it grows to at most 1 s so a long grace period does not load slurmctld. */
  pollMs: number;
  /** How long a job may take to leave the queue once its processes are killed (or it was cancelled). */
  confirmMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Gone from the controller's memory, or in a final state: COMPLETING still has processes. */
const ended = (row: JobRow | undefined): boolean => row === undefined || jobPhase(row.state) === 'ended';

/**
 * TERM: `scancel --signal=TERM --full` reaches the batch script and every process of the job
 * (plain `--signal` skips the batch step); an interactive job's shell gets it alone and passes it
 * on. A queued job has no process and is cancelled at once. What outlives its grace period is
 * killed by a step inside the job (kill-step.ts), without waiting for Slurm's KillWait. A stop is
 * done only when squeue shows the job ended (COMPLETING means processes remain) and the kill step
 * found none of them running. Returns the agents whose jobs could not be stopped.
 */
export async function stopJobs(
  targets: readonly StopTarget[],
  rows: readonly JobRow[],
  d: StopDeps,
): Promise<Map<string, Error>> {
  const byId = new Map(rows.map((r) => [r.jobId, r]));
  const failed = new Map<string, Error>();
  const scancel = async (args: string[]): Promise<void> => {
    if (args.every((a) => a.startsWith('-'))) return;
    const r = await d.scancel(args);
    // Racing with a job that just ended is harmless; what is still running is found by the polls.
    if (r.exitCode !== 0) d.log.debug({ args, stderr: r.stderr.trim() }, 'scancel reported an error');
  };
  const queued: StopTarget[] = [];
  const running: (StopTarget & { id: string })[] = [];
  for (const t of targets) {
    const row = byId.get(t.jobId);
    if (ended(row)) continue;
    if (jobPhase(row!.state) === 'pending') queued.push(t);
    else running.push({ ...t, id: t.jobId });
  }
  if (queued.length > 0) await scancel(queued.map((t) => t.jobId));
  const killed = await gracefulStop(running, {
    term: async (ts) => {
      await scancel(['--signal=TERM', '--full', ...ts.filter((t) => !t.tty).map((t) => t.id)]);
      await scancel(['--signal=TERM', '--batch', ...ts.filter((t) => t.tty).map((t) => t.id)]);
    },
    kill: async (ts) => {
      await Promise.all(
        ts.map(async (t) => {
          const err = await killJob(t, d, scancel);
          if (err) failed.set(t.name, err);
        }),
      );
    },
    stillRunning: async (ids) => {
      const now = new Map((await d.list()).map((r) => [r.jobId, r]));
      return new Set(ids.filter((id) => !ended(now.get(id))));
    },
    log: d.log,
    pollMs: d.pollMs,
  });

  const confirm = new Map([...queued, ...killed].filter((t) => !failed.has(t.name)).map((t) => [t.jobId, t]));
  const confirmBy = Date.now() + (d.confirmMs ?? 15_000);
  let pollMs = d.pollMs;
  while (confirm.size > 0) {
    const now = new Map((await d.list()).map((r) => [r.jobId, r]));
    for (const id of [...confirm.keys()]) if (ended(now.get(id))) confirm.delete(id);
    if (confirm.size === 0) break;
    if (Date.now() >= confirmBy) {
      for (const [id, t] of confirm) {
        const state = now.get(id)?.state ?? 'unknown';
        failed.set(
          t.name,
          new RuntimeError(
            `job ${id} is still ${state} ${Math.round((d.confirmMs ?? 15_000) / 1000)}s after it was cancelled or killed`,
            { runtime: 'slurm', command: 'scancel' },
          ),
        );
      }
      break;
    }
    await sleep(pollMs);
    pollMs = Math.min(1000, Math.ceil(pollMs * 1.5));
  }
  return failed;
}

/** KILLs every process of the job from a step inside it. When no step can start (the job is
 * COMPLETING, or srun is refused), Slurm is asked to kill the batch step; squeue then decides. */
async function killJob(
  t: StopTarget,
  d: StopDeps,
  scancel: (args: string[]) => Promise<void>,
): Promise<Error | undefined> {
  const r = await d
    .srun(killStepArgs(t.jobId))
    .catch((err: Error) => ({ exitCode: 1, stdout: '', stderr: err.message, timedOut: false }));
  const report = parseKillReport(r.stdout);
  if (report === null) {
    d.log.warn(
      { agent: t.name, jobId: t.jobId, stderr: r.stderr.trim().split('\n').pop() },
      'no kill step could run in the job; asking Slurm to kill it',
    );
    await scancel(['--signal=KILL', '--batch', '--full', t.jobId]);
    await scancel([t.jobId]);
    return undefined;
  }
  d.log.debug({ agent: t.name, jobId: t.jobId, ...report }, 'killed the job’s processes');
  if (report.left > 0) {
    return new RuntimeError(
      `${report.left} process(es) of job ${t.jobId} did not die of SIGKILL within 5s (uninterruptible sleep?)`,
      { runtime: 'slurm', command: 'srun' },
    );
  }
  return undefined;
}
