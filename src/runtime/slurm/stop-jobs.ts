// Stopping jobs in batches: TERM to all, one squeue per poll until each grace period ends, then KILL.
import type { Logger } from 'pino';
import type { ExecResult } from '../../util/exec.js';
import { RuntimeError } from '../types.js';
import type { JobRow } from './parse.js';
import { isWindingDown, jobPhase } from './states.js';

export interface StopTarget {
  name: string;
  jobId: string;
  graceSeconds: number;
}

export interface StopDeps {
  /** One squeue call. */
  list(): Promise<JobRow[]>;
  scancel(args: string[]): Promise<ExecResult>;
  log: Logger;
  /** First poll interval; it grows to at most 1 s so a long grace period does not load slurmctld. */
  pollMs: number;
  /** How long a cancelled job may stay RUNNING or PENDING before the stop counts as failed. */
  confirmMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * `scancel --signal=TERM --full` reaches the batch script and every process of the job (plain
 * `--signal` skips the batch step); a job that is still queued has no process and is cancelled
 * at once (signalling it is an error). What outlives its grace period gets KILL the same way.
 * Returns the agents whose jobs could not be stopped.
 */
export async function stopJobs(targets: readonly StopTarget[], rows: readonly JobRow[], d: StopDeps): Promise<Map<string, Error>> {
  const byId = new Map(rows.map((r) => [r.jobId, r]));
  const start = Date.now();
  const queued: StopTarget[] = [];
  const kill: StopTarget[] = [];
  const waiting = new Map<string, { t: StopTarget; deadline: number }>();
  for (const t of targets) {
    const row = byId.get(t.jobId);
    if (!row || isWindingDown(row.state)) continue;
    if (jobPhase(row.state) === 'pending') queued.push(t);
    else if (t.graceSeconds > 0) waiting.set(t.jobId, { t, deadline: start + t.graceSeconds * 1000 });
    else kill.push(t);
  }
  const ids = (ts: Iterable<StopTarget>): string[] => [...ts].map((t) => t.jobId);
  const scancel = async (args: string[]): Promise<void> => {
    const r = await d.scancel(args);
    // Racing with a job that just ended is harmless; what is still running is found by the polls.
    if (r.exitCode !== 0) d.log.debug({ args, stderr: r.stderr.trim() }, 'scancel reported an error');
  };
  if (queued.length > 0) await scancel(ids(queued));
  if (waiting.size > 0) await scancel(['--signal=TERM', '--full', ...ids([...waiting.values()].map((w) => w.t))]);

  let pollMs = d.pollMs;
  const poll = async (): Promise<Map<string, JobRow>> => {
    await sleep(pollMs);
    pollMs = Math.min(1000, Math.ceil(pollMs * 1.5));
    return new Map((await d.list()).map((r) => [r.jobId, r]));
  };
  while (waiting.size > 0) {
    const now = new Map(await poll());
    for (const [id, w] of waiting) {
      const row = now.get(id);
      if (!row || isWindingDown(row.state)) waiting.delete(id);
      else if (Date.now() >= w.deadline) {
        d.log.warn({ agent: w.t.name, jobId: id, graceSeconds: w.t.graceSeconds }, 'job did not end within its grace period; killing it');
        kill.push(w.t);
        waiting.delete(id);
      }
    }
  }
  if (kill.length > 0) await scancel(['--signal=KILL', '--full', ...ids(kill)]);

  // Confirm that what was cancelled or killed has left RUNNING and PENDING.
  const confirm = new Map([...queued, ...kill].map((t) => [t.jobId, t]));
  const failed = new Map<string, Error>();
  const confirmBy = Date.now() + (d.confirmMs ?? 10_000);
  pollMs = d.pollMs;
  while (confirm.size > 0) {
    const now = await poll();
    for (const [id] of confirm) {
      const row = now.get(id);
      if (!row || isWindingDown(row.state)) confirm.delete(id);
    }
    if (confirm.size > 0 && Date.now() >= confirmBy) {
      for (const [id, t] of confirm) {
        const state = now.get(id)?.state ?? 'unknown';
        failed.set(t.name, new RuntimeError(`job ${id} is still ${state} after scancel`, { runtime: 'slurm', command: 'scancel' }));
      }
      break;
    }
  }
  return failed;
}
