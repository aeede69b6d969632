// reconcile --once at a terminal: a live line saying how far convergence is and what it waits for.
import type { AgentDeps } from '../../controllers/agent/deps.js';
import { allNames } from '../../controllers/agent/inventory.js';
import { outcomeOf, type OnceOutcome } from '../../controllers/agent/outcomes.js';
import type { TtyLines } from '../log/tty-lines.js';

/** `waiting: 37/100 Ready — a005 Pending (waiting for db to be Ready), 62 more` (pure). */
export function progressLine(outcomes: readonly OnceOutcome[], elapsedMs: number): string {
  const live = outcomes.filter((o) => !o.pruned);
  const waiting = live.filter((o) => !o.converged);
  const head = `waiting ${Math.floor(elapsedMs / 1000)}s: ${live.length - waiting.length}/${live.length} Ready`;
  const first = waiting[0];
  if (!first) return head;
  const why = first.message || first.reason;
  return `${head} — ${first.name} ${first.phase}${why ? ` (${why})` : ''}${waiting.length > 1 ? `, ${waiting.length - 1} more` : ''}`;
}

/** Redraws the live line from the records as the reconciles write them, until stopped; stopping
 * removes it, so nothing of it is left in the terminal's scrollback. */
export function startOnceProgress(d: AgentDeps, tty: TtyLines, intervalMs = 250): { stop(): void } {
  const started = Date.now();
  const draw = (): void =>
    tty.setLive(
      progressLine(
        [...allNames(d)].sort().map((n) => outcomeOf(d, n, undefined, undefined)),
        Date.now() - started,
      ),
    );
  const timer = setInterval(draw, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      tty.clearLive();
    },
  };
}
