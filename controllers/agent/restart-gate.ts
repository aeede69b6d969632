// The one gate every restart passes (exit, health, start-up timeout, context): the backoff delay and maxRetries (pure).
import type { BackoffSpec } from '../../src/spec/schema.js';
import { backoffDelaySeconds, nextCrashCount } from './backoff.js';

export interface Gate {
  /** Restarts in a row, this one included: what the record keeps once it happens. */
  crashCount: number;
  /** Epoch ms before which this restart may not happen. */
  dueAt: number;
  /** backoff.maxRetries is exceeded: the agent ends Failed (RetryLimit) instead. */
  overLimit: boolean;
}

/** A restart after an incarnation ended at `from` (its exit, or the start-up timeout) as the
 * `crashCount`-th in a row: never sooner than one backoff delay after `from`. */
export function gateAfter(crashCount: number, from: number, b: BackoffSpec): Gate {
  return {
    crashCount,
    dueAt: from + backoffDelaySeconds(crashCount, b) * 1000,
    overLimit: b.maxRetries !== undefined && crashCount > b.maxRetries,
  };
}

/** A restart of a live incarnation (failing health check, full context): it counts as one more
 * in a row unless the incarnation ran stably, and waits one backoff delay after its start, so a
 * check that fails at once costs no more than one start per delay. */
export function gateLive(previous: number, startedAt: number | null, now: number, b: BackoffSpec): Gate {
  const crashCount = nextCrashCount(previous, startedAt, now, b);
  return gateAfter(crashCount, startedAt ?? now, b);
}

/** The message suffix of a restart held back by its gate. */
export function waitText(g: Gate, now: number): string {
  return `restarting in ${Math.ceil((g.dueAt - now) / 1000)}s (restart ${g.crashCount} in a row)`;
}

/** The message of an agent that reached its limit. */
export function limitText(g: Gate, b: BackoffSpec): string {
  return `restart ${g.crashCount} in a row would exceed backoff.maxRetries (${b.maxRetries ?? 0}): not restarting until the spec changes or agentctl restart`;
}
