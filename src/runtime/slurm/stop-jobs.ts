// Stopping jobs in batches: queued ones cancelled, running ones TERM → grace → KILL, then confirmed.
import type { Logger } from 'pino';
import type { ExecResult } from '../../exec/executor.js';
import { gracefulStop } from '../graceful-stop.js';
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
  const scancel = async (args: string[]): Promise<void> => {
    const r = await d.scancel(args);
    // Racing with a job that just ended is harmless; what is still running is found by the polls.
    if (r.exitCode !== 0) d.log.debug({ args, stderr: r.stderr.trim() }, 'scancel reported an error');
  };
  const queued: StopTarget[] = [];
  const running: (StopTarget & { id: string })[] = [];
  for (const t of targets) {
    const row = byId.get(t.jobId);
    if (!row || isWindingDown(row.state)) continue;
    if (jobPhase(row.state) === 'pending') queued.push(t);
    else running.push({ ...t, id: t.jobId });
  }
  if (queued.length > 0) await scancel(queued.map((t) => t.jobId));
  const killed = await gracefulStop(running, {
    term: (ts) => scancel(['--signal=TERM', '--full', ...ts.map((t) => t.id)]),
    kill: (ts) => scancel(['--signal=KILL', '--full', ...ts.map((t) => t.id)]),
    stillRunning: async (ids) => {
      const now = new Map((await d.list()).map((r) => [r.jobId, r]));
      return new Set(ids.filter((id) => {
        const row = now.get(id);
        return row !== undefined && !isWindingDown(row.state);
      }));
    },
    log: d.log,
    pollMs: d.pollMs,
  });

  // Confirm that what was cancelled or killed has left RUNNING and PENDING.
  const confirm = new Map([...queued, ...killed].map((t) => [t.jobId, t]));
  const failed = new Map<string, Error>();
  const confirmBy = Date.now() + (d.confirmMs ?? 10_000);
  let pollMs = d.pollMs;
  while (confirm.size > 0) {
    await sleep(pollMs);
    pollMs = Math.min(1000, Math.ceil(pollMs * 1.5));
    const now = new Map((await d.list()).map((r) => [r.jobId, r]));
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
