// The stop sequence every runtime shares: TERM, wait out each grace period polling, then KILL.
import type { Logger } from 'pino';

export interface GracefulTarget {
  /** What is signalled and polled: a process group, a job id. */
  id: string;
  /** The agent, for the log. */
  name: string;
  graceSeconds: number;
}

export interface GracefulDeps<T extends GracefulTarget> {
  /** Asks the targets to end (SIGTERM or the runtime's equivalent). */
  term(targets: T[]): Promise<void>;
  /** Ends them now (SIGKILL or the runtime's equivalent). */
  kill(targets: T[]): Promise<void>;
  /** Which of the ids are still running: one observation for all of them. */
  stillRunning(ids: readonly string[]): Promise<Set<string>>;
  log: Logger;
  /** First poll interval; it grows to at most `maxPollMs`, so a long grace period costs little. */
  pollMs: number;
  maxPollMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Returns the targets that had to be killed. A target with a grace period of 0 is killed at once. */
export async function gracefulStop<T extends GracefulTarget>(targets: readonly T[], d: GracefulDeps<T>): Promise<T[]> {
  const now = [...targets.filter((t) => t.graceSeconds <= 0)];
  const patient = targets.filter((t) => t.graceSeconds > 0);
  const killed: T[] = [...now];
  if (now.length > 0) await d.kill(now);
  if (patient.length === 0) return killed;
  const start = Date.now();
  await d.term(patient);
  const waiting = new Map(patient.map((t) => [t.id, { t, deadline: start + t.graceSeconds * 1000 }]));
  let pollMs = d.pollMs;
  while (waiting.size > 0) {
    // Never sleep past the earliest deadline: a KILL due at 2 s is sent at 2 s, not at the next poll.
    const due = Math.min(...[...waiting.values()].map((w) => w.deadline)) - Date.now();
    await sleep(Math.max(10, Math.min(pollMs, due)));
    pollMs = Math.min(d.maxPollMs ?? 1000, Math.ceil(pollMs * 1.5));
    const running = await d.stillRunning([...waiting.keys()]);
    const overdue: T[] = [];
    for (const [id, w] of waiting) {
      if (!running.has(id)) waiting.delete(id);
      else if (Date.now() >= w.deadline) {
        d.log.warn(
          { agent: w.t.name, id, graceSeconds: w.t.graceSeconds },
          'did not end within its grace period; killing it',
        );
        overdue.push(w.t);
        waiting.delete(id);
      }
    }
    if (overdue.length > 0) {
      killed.push(...overdue);
      await d.kill(overdue);
    }
  }
  return killed;
}
