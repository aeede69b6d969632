// Fails fast for a host known to be down, and probes it in the background until it answers again.
//
// Once a call to a host ended in HostUnreachableError, every further call fails at once with that
// error (no worker waits out a timeout for a host already known to be down) while a probe runs
// every few seconds, backing off. The first probe that gets through marks the host up and tells
// the listeners, so its agents are looked at again at once.
import type { ExecOptions, ExecResult, Executor } from '../exec/executor.js';
import { HostUnreachableError } from '../exec/ssh-errors.js';

export interface GateOptions {
  /** Runs one call to the host past the gate; throws HostUnreachableError while it is down. */
  probe: () => Promise<void>;
  minRetryMs?: number;
  maxRetryMs?: number;
}

export type GateListener = (up: boolean, error: HostUnreachableError | undefined) => void;

export class HostGate {
  private error: HostUnreachableError | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retryMs: number;
  private closed = false;
  private readonly listeners = new Set<GateListener>();

  constructor(private readonly o: GateOptions) {
    this.retryMs = o.minRetryMs ?? 2000;
  }

  /** The error the host is down with; undefined while it is (thought to be) up. */
  get down(): HostUnreachableError | undefined {
    return this.error;
  }

  onChange(fn: GateListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** A call got through: the host is up. */
  passed(): void {
    if (!this.error) return;
    this.error = undefined;
    this.retryMs = this.o.minRetryMs ?? 2000;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const fn of this.listeners) fn(true, undefined);
  }

  /** A call found the host unreachable. */
  failed(err: HostUnreachableError): void {
    const was = this.error;
    this.error = err;
    if (!was) for (const fn of this.listeners) fn(false, err);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => void this.retry(), this.retryMs);
    this.timer.unref();
  }

  private async retry(): Promise<void> {
    this.timer = undefined;
    if (this.closed || !this.error) return;
    try {
      await this.o.probe();
      this.passed();
    } catch (err) {
      this.retryMs = Math.min(this.o.maxRetryMs ?? 30_000, Math.ceil(this.retryMs * 1.5));
      if (err instanceof HostUnreachableError) this.error = err;
      this.schedule();
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** An executor whose calls pass through a host's gate. */
export class GatedExecutor implements Executor {
  readonly target: string;

  constructor(
    private readonly inner: Executor,
    private readonly gate: HostGate,
  ) {
    this.target = inner.target;
  }

  get spawned(): number {
    return this.inner.spawned;
  }

  async run(file: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    const down = this.gate.down;
    if (down) throw down;
    try {
      const r = await this.inner.run(file, args, options);
      this.gate.passed();
      return r;
    } catch (err) {
      if (err instanceof HostUnreachableError) this.gate.failed(err);
      throw err;
    }
  }
}
