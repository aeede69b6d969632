// Crash-loop backoff: the delay before the n-th restart in a row, and when a run counts as stable (pure).
import type { BackoffSpec } from '../../src/spec/schema.js';

/** Delay in seconds before restarting after the `crashCount`-th exit in a row (1-based):
 * initial, doubling, capped at max. */
export function backoffDelaySeconds(crashCount: number, b: BackoffSpec): number {
  if (crashCount <= 0) return 0;
  return Math.min(b.initialSeconds * 2 ** Math.min(crashCount - 1, 30), b.maxSeconds);
}

/** The crash count after an exit: a run that lasted resetAfterSeconds starts the count over. */
export function nextCrashCount(previous: number, startedAt: number | null, exitAt: number, b: BackoffSpec): number {
  const ranMs = startedAt === null ? 0 : exitAt - startedAt;
  return ranMs >= b.resetAfterSeconds * 1000 ? 1 : previous + 1;
}
