// The generic controller loop: a work queue of keys processed by bounded workers (p-queue).
import PQueue from 'p-queue';
import { WorkQueue, systemClock, type QueueMetrics } from './workqueue.js';
import { TerminalError, type KeyStatus, type Reconciler } from './reconciler.js';

export type ReconcileOutcome = 'success' | 'error' | 'requeue_after';

export interface ControllerMetrics extends QueueMetrics {
  reconciled?(result: ReconcileOutcome, seconds: number): void;
}

export interface ControllerOptions {
  reconcile: Reconciler;
  concurrency: number;
  metrics?: ControllerMetrics;
  /** Told after every reconcile of a key (for `run until settled`, and for logging errors). */
  onProcessed?: (key: string, status: KeyStatus) => void;
}

export class Controller {
  readonly queue: WorkQueue;
  private readonly pool: PQueue;
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly listeners = new Set<(key: string, status: KeyStatus) => void>();

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
    try {
      const result = await this.o.reconcile(key);
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
      this.queue.done(key);
    }
    for (const fn of this.listeners) fn(key, status);
  }

  /** Stops taking work and waits for in-flight reconciles to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.queue.shutDown();
    await this.pool.onIdle();
    await this.loop;
  }
}
