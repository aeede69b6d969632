// The generic controller loop: a work queue of keys processed by bounded workers (p-queue).
import PQueue from 'p-queue';
import { WorkQueue, systemClock, type QueueMetrics } from './workqueue.js';
import { AbortedReconcile, TerminalError, type KeyStatus, type Reconciler } from './reconciler.js';
import ms from 'ms';

/** Generous: a Slurm stop on a stock KillWait, hooks and SSH connects each have their own, shorter bounds. */
const DEFAULT_DEADLINE_MS = 5 * 60_000;

export type ReconcileOutcome = 'success' | 'error' | 'requeue_after';

export interface ControllerMetrics extends QueueMetrics {
  reconciled?(result: ReconcileOutcome, seconds: number): void;
}

export interface ControllerOptions {
  reconcile: Reconciler;
  concurrency: number;
  metrics?: ControllerMetrics;
  /** How long one reconcile may take before its signal aborts (default 5 minutes). */
  deadlineMs?: number;
  /** Told after every reconcile of a key (for `run until settled`, and for logging errors). */
  onProcessed?: (key: string, status: KeyStatus) => void;
}

export class Controller {
  readonly queue: WorkQueue;
  private readonly pool: PQueue;
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly listeners = new Set<(key: string, status: KeyStatus) => void>();
  /** The signals of the reconciles in flight, aborted when the controller stops. */
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly o: ControllerOptions) {
    this.queue = new WorkQueue(systemClock, undefined, o.metrics);
    this.pool = new PQueue({ concurrency: o.concurrency });
    if (o.onProcessed) this.listeners.add(o.onProcessed);
  }

  /** Subscribes to processed keys; returns the unsubscribe function. */
  onProcessed(fn: (key: string, status: KeyStatus) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  enqueueAll(keys: Iterable<string>): void {
    for (const k of keys) this.queue.add(k);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.dispatch();
  }

  private async dispatch(): Promise<void> {
    while (this.running) {
      // Take a key only when a worker is free, so that keys wait in the work queue (deduplicated),
      // not inside the pool.
      if (this.pool.pending >= this.o.concurrency) {
        await new Promise<void>((res) => this.pool.once('next', () => res()));
        continue;
      }
      const key = await this.queue.get();
      if (key === undefined) break;
      void this.pool.add(() => this.process(key));
    }
  }

  private async process(key: string): Promise<void> {
    const t0 = performance.now();
    let status: KeyStatus;
    const deadline = this.o.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const ac = new AbortController();
    const timer = setTimeout(
      () =>
        ac.abort(new AbortedReconcile(`reconcile of ${key} passed its deadline of ${ms(deadline, { long: true })}`)),
      deadline,
    );
    this.inFlight.add(ac);
    try {
      const result = await this.o.reconcile(key, ac.signal);
      this.queue.forget(key);
      const seconds = (performance.now() - t0) / 1000;
      if (result.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
      this.o.metrics?.reconciled?.(result.requeueAfterMs !== undefined ? 'requeue_after' : 'success', seconds);
      status = { settled: result.settled, failures: 0, terminal: false };
    } catch (err) {
      const terminal = err instanceof TerminalError;
      const failures = this.queue.numRequeues(key) + 1;
      if (terminal) this.queue.forget(key);
      else this.queue.addRateLimited(key);
      this.o.metrics?.reconciled?.('error', (performance.now() - t0) / 1000);
      status = { settled: false, error: (err as Error).message, failures, terminal };
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(ac);
      this.queue.done(key);
    }
    for (const fn of this.listeners) fn(key, status);
  }

  /** Stops taking work, tells in-flight reconciles (their signal: no new effects), and waits
   * for them to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.queue.shutDown();
    for (const ac of this.inFlight) ac.abort(new AbortedReconcile('the controller is stopping'));
    await this.pool.onIdle();
    await this.loop;
  }
}
