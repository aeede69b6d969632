// Walltime rollover (pure): when to queue an agent's successor job, and when to hand over to it.
//
// `slurm.walltimeRollover: 10m`: that long before the job's time limit the successor is
// submitted with `--dependency=singleton` (same job name, so it starts the moment the old one
// ends, with no wait in the queue beyond the scheduler's own reaction); shortly before the limit
// the old one gets its preStop hooks and a TERM, within its grace period, rather than Slurm's
// TERM at the limit. The gap between the two is then the scheduler's reaction to the old job
// ending (measured in test/integration/slurm/rollover.test.ts).
import type { SlurmSpec } from '../../spec/schema.js';
import { parseDuration } from '../../util/duration.js';
import type { ObservedAgent } from '../types.js';

/** Room between the end of the old job's stop (hooks, TERM, grace) and its time limit. */
export const HANDOVER_MARGIN_MS = 10_000;

export type RolloverStep = { action: 'submit' } | { action: 'handover' } | { action: 'wait'; atMs: number };

/** What the agent's rollover asks for now; null when it has none (no rollover configured, no
 * time limit known, not running yet). */
export function rolloverStep(
  o: ObservedAgent,
  slurm: SlurmSpec | undefined,
  graceSeconds: number,
  now: number,
): RolloverStep | null {
  if (!slurm?.walltimeRollover || slurm.allocation || o.endsAt === undefined || o.pending || !o.alive) return null;
  const submitAt = o.endsAt - parseDuration(slurm.walltimeRollover);
  if (!o.successor) return now >= submitAt ? { action: 'submit' } : { action: 'wait', atMs: submitAt };
  const handAt = o.endsAt - graceSeconds * 1000 - HANDOVER_MARGIN_MS;
  return now >= handAt ? { action: 'handover' } : { action: 'wait', atMs: handAt };
}
