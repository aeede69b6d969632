// A stack of undo steps for everything the bench made, run last-in first-out on exit or Ctrl-C,
// after the subprocesses still in flight have been ended (so none of them can start anything anew).
import type { ResultPromise } from 'execa';

export type UndoStep = () => Promise<void> | void;

interface Step {
  label: string;
  fn: UndoStep;
  /** Set once the step has started (by its owner or by runAll): it never runs twice. */
  done?: Promise<void>;
}

export class Cleanup {
  private readonly steps: Step[] = [];
  /** Steps started by their owner that may still be running. */
  private readonly started = new Set<Promise<void>>();
  private readonly inFlight = new Set<ResultPromise>();
  private running: Promise<void> | undefined;
  /** Names each step as it runs (set when interrupted). */
  verbose = false;
  /** Set once runAll has begun: from then on nothing new may start. */
  closed = false;

  /** Tracks a subprocess the bench started until it exits; returns it unchanged. */
  child<T extends ResultPromise>(p: T): T {
    if (this.closed) p.kill('SIGKILL');
    this.inFlight.add(p);
    const forget = (): void => void this.inFlight.delete(p);
    p.then(forget, forget);
    return p;
  }

  /** Throws once cleanup has begun: loops call it before starting the next thing. */
  check(): void {
    if (this.closed) throw new Error('interrupted');
  }

  /** Registers a step; the returned function runs it now (once) and drops it from the stack. */
  add(label: string, fn: UndoStep): () => Promise<void> {
    const step: Step = { label, fn };
    this.steps.push(step);
    return () => this.run(step);
  }

  private run(step: Step): Promise<void> {
    if (!step.done) {
      const i = this.steps.indexOf(step);
      if (i >= 0) this.steps.splice(i, 1);
      if (this.verbose) process.stderr.write(`bench: cleanup: ${step.label}\n`);
      step.done = (async () => step.fn())();
      this.started.add(step.done);
      const forget = (): void => void this.started.delete(step.done!);
      step.done.then(forget, forget);
    }
    return step.done;
  }

  /** SIGTERM to every subprocess still running, SIGKILL after 3 s; waits for them to exit. */
  private async endChildren(): Promise<void> {
    const all = [...this.inFlight];
    if (all.length === 0) return;
    for (const p of all) p.kill('SIGTERM');
    const t = setTimeout(() => all.forEach((p) => p.kill('SIGKILL')), 3000);
    await Promise.allSettled(all);
    clearTimeout(t);
  }

  /** Runs every remaining step, newest first, and waits for steps already under way; a failing
   * step is reported and the rest still run. */
  runAll(): Promise<void> {
    this.closed = true;
    this.running ??= (async () => {
      await this.endChildren();
      while (this.steps.length > 0) {
        const step = this.steps.at(-1)!;
        try {
          await this.run(step);
        } catch (err) {
          process.stderr.write(`bench: cleanup "${step.label}" failed: ${(err as Error).message}\n`);
        }
      }
      await Promise.allSettled([...this.started]);
    })();
    return this.running;
  }
}
