// Small scheduling helpers of the run loop: a jittered periodic task and a serialised task.

/** Serialises a task: a call while it runs schedules exactly one more run afterwards. */
export function serialised(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  return async (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await fn();
      } while (again);
    })().finally(() => (running = undefined));
    return running;
  };
}

/** Runs `fn` every `periodMs` (±10 % jitter, so many controllers do not beat in step), each
 * run scheduled after the previous one finished. Returns the stop function. */
export function everyJittered(
  periodMs: number,
  fn: () => Promise<void>,
  random: () => number = Math.random,
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (stopped) return;
    const jitter = 1 + (random() - 0.5) * 0.2;
    timer = setTimeout(() => void fn().finally(schedule), Math.max(100, periodMs * jitter));
  };
  schedule();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
