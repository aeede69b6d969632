// How reconcile --once reports: spec errors, agents that did not converge, and one summary line.
import type { LockHeldError } from '../engine/lock.js';
import type { AgentDeps } from '../../controllers/agent/deps.js';
import { recordedOutcomes, type OnceOutcome } from '../../controllers/agent/outcomes.js';
import type { OnceReport } from '../../controllers/agent/pipeline.js';
import { formatSpecError, type SpecError } from '../spec/errors.js';
import { ExitError } from './exit.js';

/** Spec errors go to stdout for every command: they are the result, not a log line. */
export function printSpecErrors(errors: readonly SpecError[]): void {
  for (const e of errors) process.stdout.write(`${formatSpecError(e)}\n`);
}

function printNotConverged(bad: readonly OnceOutcome[]): void {
  for (const o of bad)
    process.stdout.write(`${o.name}: not converged: ${o.phase} (${o.reason})${o.message ? `: ${o.message}` : ''}\n`);
}

/** Prints the report; returns whether everything converged with valid specs. */
export function printOnceReport(r: OnceReport, timeoutText: string): boolean {
  for (const [key, err] of r.unobservable) process.stdout.write(`${key}: cannot observe: ${err.message}\n`);
  const bad = r.outcomes.filter((o) => !o.converged);
  printNotConverged(bad);
  const pruned = r.outcomes.filter((o) => o.pruned).length;
  const running = r.outcomes.length - pruned;
  const ok = running - bad.length;
  process.stdout.write(
    `${ok}/${running} agent(s) converged${pruned > 0 ? `, ${pruned} pruned` : ''}${r.timedOut && bad.length > 0 ? ` (timed out after ${timeoutText})` : ''}` +
      `${r.invalidSpecs > 0 ? `; ${r.invalidSpecs} spec error(s)` : ''}\n`,
  );
  return bad.length === 0 && r.invalidSpecs === 0;
}

/** Waits until the running controller's records show every agent converged (exit 0), or the
 * deadline passes (exit 1, naming who did not converge). */
export async function waitForController(
  d: AgentDeps,
  held: LockHeldError,
  deadline: number,
  timeoutText: string,
): Promise<void> {
  d.log.info({ holder: held.holder }, 'a controller is running: waiting for it to converge instead of racing it');
  for (;;) {
    await d.records.load();
    await d.desired.reload(d.records.all());
    const outcomes = recordedOutcomes(d);
    const bad = outcomes.filter((o) => !o.converged);
    const done = bad.length === 0 && d.desired.specs.errors.length === 0;
    if (done || Date.now() >= deadline) {
      printSpecErrors(d.desired.specs.errors);
      printNotConverged(bad);
      process.stdout.write(
        `${outcomes.length - bad.length}/${outcomes.length} agent(s) converged by the running controller (pid ${held.holder?.pid ?? '?'})${done ? '' : ` (timed out after ${timeoutText})`}\n`,
      );
      if (!done) throw new ExitError(1);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
