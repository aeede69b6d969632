// A stack of undo steps for everything the bench made, run last-in first-out on exit or Ctrl-C.

export type UndoStep = () => Promise<void> | void;

export class Cleanup {
  private readonly steps: { label: string; fn: UndoStep }[] = [];
  private running: Promise<void> | undefined;

  /** Registers a step; the returned function runs it now (once) and drops it from the stack. */
  add(label: string, fn: UndoStep): () => Promise<void> {
    const step = { label, fn };
    this.steps.push(step);
    return async () => {
      const i = this.steps.indexOf(step);
      if (i < 0) return;
      this.steps.splice(i, 1);
      await fn();
    };
  }

  /** Runs every remaining step, newest first; a failing step is reported and the rest still run. */
  runAll(): Promise<void> {
    this.running ??= (async () => {
      while (this.steps.length > 0) {
        const step = this.steps.pop()!;
        try {
          await step.fn();
        } catch (err) {
          process.stderr.write(`bench: cleanup "${step.label}" failed: ${(err as Error).message}\n`);
        }
      }
    })();
    return this.running;
  }
}
