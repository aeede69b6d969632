// The controller loop: a work queue of agent names processed by bounded workers (p-queue).
import PQueue from 'p-queue';
import { reconcileAgent, type ReconcileResult } from '../../controllers/agent/reconcile.js';
import { WorkQueue, systemClock, type QueueMetrics } from './workqueue.js';
import type { World } from './world.js';

export interface ControllerMetrics extends QueueMetrics {
  reconciled?(result: 'success' | 'error' | 'requeue' | 'requeue_after', seconds: number): void;
}

export interface LastResult {
  result?: ReconcileResult;
  error?: string;
  failures: number;
  at: number;
}

export class Controller {
  readonly queue: WorkQueue;
  private readonly pool: PQueue;
  private running = false;
  private loop: Promise<void> | undefined;
  /** Outcome of each name's last reconcile. */
  readonly last = new Map<string, LastResult>();
  private readonly listeners = new Set<(name: string) => void>();

  constructor(
    readonly world: World,
    readonly concurrency: number,
    private readonly metrics: ControllerMetrics = {},
    /** Keep each name's last result (reconcile --once reads them; the long-running controller
     * does not need 10,000 of them). */
    private readonly keepResults = true,
  ) {
    this.queue = new WorkQueue(systemClock, undefined, metrics);
    this.pool = new PQueue({ concurrency });
  }

  /** Called after every reconcile (for reconcile --once to check whether everything settled). */
  onProcessed(fn: (name: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  enqueue(name: string): void {
    this.queue.add(name);
  }

  enqueueAll(names: Iterable<string>): void {
    for (const n of names) this.queue.add(n);
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
      if (this.pool.pending >= this.concurrency) {
        await new Promise<void>((res) => this.pool.once('next', () => res()));
        continue;
      }
      const key = await this.queue.get();
      if (key === undefined) break;
      void this.pool.add(() => this.process(key));
    }
  }

  private async process(name: string): Promise<void> {
    const t0 = performance.now();
    const log = this.world.log.child({ agent: name });
    const before = this.world.records.get(name);
    try {
      const result = await reconcileAgent(this.world, name);
      this.wakeRelated(name, before?.ready === true, before?.handle ?? null);
      this.queue.forget(name);
      if (this.keepResults) this.last.set(name, { result, failures: 0, at: Date.now() });
      const seconds = (performance.now() - t0) / 1000;
      if (result.requeueAfterMs !== undefined) {
        this.queue.addAfter(name, result.requeueAfterMs);
        this.metrics.reconciled?.('requeue_after', seconds);
      } else {
        this.metrics.reconciled?.('success', seconds);
      }
    } catch (err) {
      const failures = this.queue.numRequeues(name) + 1;
      if (this.keepResults) this.last.set(name, { error: (err as Error).message, failures, at: Date.now() });
      const delay = this.queue.addRateLimited(name);
      this.metrics.reconciled?.('error', (performance.now() - t0) / 1000);
      log.debug({ error: (err as Error).message, retryInMs: delay }, 'reconcile failed; will retry');
    } finally {
      this.queue.done(name);
      for (const fn of this.listeners) fn(name);
    }
  }

  /** Readiness gates dependents' starts and running dependents gate stops: when an agent turns
   * Ready (or stops running), the agents waiting on it are looked at again at once. */
  private wakeRelated(name: string, wasReady: boolean, hadHandle: string | null): void {
    const now = this.world.records.get(name);
    const readyChanged = (now?.ready === true) !== wasReady;
    const stopped = hadHandle !== null && (now?.handle ?? null) === null;
    if (!readyChanged && !stopped) return;
    for (const a of this.world.specs.agents.values()) {
      if (readyChanged && a.spec.dependsOn.includes(name)) this.queue.add(a.name);
    }
    if (stopped) {
      const deps = this.world.specs.agents.get(name)?.spec.dependsOn ?? (now?.appliedSpec?.dependsOn as string[] | undefined) ?? [];
      for (const d of deps) this.queue.add(d);
    }
  }

  /** Stops taking work and waits for in-flight reconciles to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.queue.shutDown();
    await this.pool.onIdle();
    await this.loop;
  }
}
