// What a Slurm job state means for an agent (pure): alive, queued, or ended, and with which exit.
import type { ExitInfo } from '../types.js';
import type { DecodedExit } from './parse.js';

export type JobPhase = 'pending' | 'running' | 'ended';

/** Queued, or put back in the queue (held, requeued): no process yet. */
const PENDING = new Set(['PENDING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'RESV_DEL_HOLD', 'SPECIAL_EXIT']);

/** Ended by Slurm rather than by the agent: an exit like any other, but never a successful one. */
export const SLURM_ENDED = new Set([
  'CANCELLED',
  'TIMEOUT',
  'PREEMPTED',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'BOOT_FAIL',
  'DEADLINE',
  'REVOKED',
]);

const ENDED = new Set(['COMPLETED', 'FAILED', ...SLURM_ENDED]);

/**
 * COMPLETING counts as running: the job's processes may still be finishing and its epilog runs;
 * a state Slurm adds later (or an unknown one) also counts as running, so that nothing is ever
 * submitted twice because of a word this table does not know.
 */
export function jobPhase(state: string): JobPhase {
  const s = state.toUpperCase();
  if (PENDING.has(s)) return 'pending';
  if (ENDED.has(s)) return 'ended';
  return 'running';
}

/** For stop(): the job's processes have been told to end (or never existed) once it completes. */
export function isWindingDown(state: string): boolean {
  const s = state.toUpperCase();
  return s === 'COMPLETING' || ENDED.has(s);
}

/**
 * The exit of an ended job: the exit file the batch script wrote wins (it is the agent's own
 * status), then Slurm's. A job that Slurm ended (walltime, preemption, node failure…) is never a
 * success: when neither source has a non-zero status the code is unknown (null), which
 * restartPolicy OnFailure treats as a failure.
 */
export function endedExit(state: string, fromFile: DecodedExit | null, fromSlurm: DecodedExit, at: number): ExitInfo {
  const e = fromFile ?? fromSlurm;
  const success = e.code === 0 && e.signal === null;
  if (SLURM_ENDED.has(state.toUpperCase()) && (success || e.code === null)) return { code: null, signal: e.signal, at };
  return { code: e.code, signal: e.signal, at };
}
