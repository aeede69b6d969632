// Ends a controller started through npm/npx when that npm goes away: npm passes SIGTERM only to its own child.
//
// `npx agentctl reconcile &` runs `npm exec` → `sh -c agentctl reconcile` → node. `kill -TERM $!`
// signals npm, which passes the signal to the `sh` it started; sh dies without passing it on, and
// the controller would run on, orphaned, holding the lock. A controller started that way watches
// its parent and shuts down (as on SIGTERM) once it has been re-parented. Started any other way
// (a shell, nohup, systemd) it does not: outliving a parent can be what was asked for.

/** How npm says it started a program: `exec` for npx/npm exec, `run-script` for npm run. */
export function npmLauncher(env: NodeJS.ProcessEnv): string | null {
  const c = env.npm_command;
  return c !== undefined && c !== '' ? c : null;
}

export interface ParentWatchOptions {
  intervalMs: number;
  /** Called once, when the parent process is gone. */
  onGone: (was: number) => void;
  /** For tests: the parent's pid now (default: process.ppid, read afresh each time). */
  ppid?: () => number;
}

/** Polls the parent pid; returns the function that stops watching. */
export function watchParent(o: ParentWatchOptions): () => void {
  const ppid = o.ppid ?? ((): number => process.ppid);
  const first = ppid();
  const timer = setInterval(() => {
    if (ppid() === first) return;
    clearInterval(timer);
    o.onGone(first);
  }, o.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
