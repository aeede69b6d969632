// The contract between the generic controller loop and a reconciler (controller-runtime's `reconcile`).
//
// A request is just a key; every reconcile reads the world afresh (level-based). A reconciler
// returns a Result or throws. If it throws, the Result is ignored and the key is retried with
// per-key exponential backoff, unless the error is a TerminalError (not retried until something
// else enqueues the key). Reconcilers never touch the queue: the controller maps results to it.
// Each reconcile gets an AbortSignal: it aborts at the reconcile's deadline and when the
// controller stops, and a reconciler checks it before each step that has effects.

export interface Result {
  /** Look at this key again after this long (a timed re-check), whatever else happens. */
  requeueAfterMs?: number;
  /** Nothing is left to do for this key until something changes (what `--once` waits for). */
  settled: boolean;
}

export type Reconciler = (key: string, signal: AbortSignal) => Promise<Result>;

/** Why a reconcile's signal aborted: its deadline passed, or the controller is stopping. */
export class AbortedReconcile extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AbortedReconcile';
  }
}

/** An error that retrying cannot fix: reported, not retried. */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

/** What the loop knows about a key's last reconcile. */
export interface KeyStatus {
  settled: boolean;
  /** The last reconcile threw: its message, and how many times in a row it has. */
  error?: string;
  failures: number;
  terminal: boolean;
}
