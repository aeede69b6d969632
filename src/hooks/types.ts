// The contract of the hook runner: what a hook gets to know, and what it reports back.
import type { HookName } from '../spec/schema.js';
import type { DesiredAgent } from '../spec/load.js';

export interface HookContext {
  name: string;
  hook: HookName;
  /** Spec the transition is about (for a prune: the last applied spec). */
  spec: DesiredAgent['spec'];
  specFile: string;
  specHash: string;
  /** Absolute workdir (~ expanded). */
  workdir: string;
  /** The agent's own environment (env and envFiles). */
  env: Record<string, string>;
  /** Values that must never be printed (envFiles values, secret-looking env keys): scrub them
   * from output tails and errors. */
  secrets: string[];
  /** Wait for URL entries and report their real result instead of sending them in the
   * background (for callers that must not exit first, and for tests). Default false. */
  awaitUrls?: boolean;
  /** Run every entry in the background and return at once (outcomes are logged, not returned):
   * for notices, which must never hold a reconcile, even a hook that hangs. */
  background?: boolean;
  /** What URL entries POST instead of the lifecycle payload. */
  payload?: Record<string, unknown>;
  /** Called with the real outcome of each URL entry sent in the background, once it is known;
   * `drain()` waits for what it returns. */
  onSettled?: (outcome: HookOutcome) => void | Promise<void>;
}

export interface HookOutcome {
  /** Short description of the entry: `sh: ...`, `exec: prog`, `url: host`. */
  entry: string;
  ok: boolean;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** Last lines of output (secrets redacted). */
  outputTail: string;
  error?: string;
  /** A URL entry sent in the background: its result is not known yet (see onSettled). */
  background?: boolean;
}

export interface HookRunner {
  /** Runs the hook's entries in order. Stops at the first failure for preStart. URL entries
   * never hold the reconcile: they are sent in the background unless `awaitUrls`. */
  run(ctx: HookContext): Promise<HookOutcome[]>;
  /** Resolves once every URL entry sent in the background has finished (each is bounded by its
   * timeout). A short-lived process calls it before exiting so no notification is lost. */
  drain?(): Promise<void>;
}
