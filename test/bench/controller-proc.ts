// The real controller (`agentctl reconcile`) as a child process: its JSON log lines, each with the
// moment the bench received it, and a bounded shutdown.
import { execa, type ResultPromise } from 'execa';
import type { Cleanup } from './cleanup.js';
import { CLI } from './paths.js';
import { parseLogLine, type LogLine } from './log-lines.js';

export interface Received {
  line: LogLine;
  /** performance.now() when the line arrived. */
  at: number;
}

interface Waiter {
  from: number;
  pred: (l: LogLine) => boolean;
  resolve: (r: Received) => void;
}

export class ControllerProc {
  readonly received: Received[] = [];
  private readonly proc: ResultPromise;
  private readonly waiters = new Set<Waiter>();
  private readonly undo: () => Promise<void>;
  private exited = false;
  private lastLineAt = performance.now();

  constructor(cleanup: Cleanup, env: Record<string, string>, args: readonly string[] = []) {
    this.proc = cleanup.child(
      execa(CLI, ['reconcile', ...args], { env, reject: false, buffer: false, stdin: 'ignore', stdout: 'ignore' }),
    );
    this.undo = cleanup.add(`controller pid ${this.proc.pid ?? '?'}`, () => this.stopNow());
    void this.proc.then(() => (this.exited = true));
    let buf = '';
    this.proc.stderr!.on('data', (chunk: Buffer) => {
      const at = performance.now();
      buf += chunk.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const text = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const line = parseLogLine(text) ?? { msg: text };
        this.lastLineAt = at;
        this.received.push({ line, at });
        for (const w of this.waiters) {
          if (this.received.length - 1 >= w.from && w.pred(line)) {
            this.waiters.delete(w);
            w.resolve({ line, at });
          }
        }
      }
    });
  }

  get pid(): number {
    return this.proc.pid!;
  }

  get running(): boolean {
    return !this.exited;
  }

  /** Index of the next line to arrive: pass it to waitFor to ignore what came before. */
  mark(): number {
    return this.received.length;
  }

  /** The first line at or after index `from` that matches. */
  waitFor(pred: (l: LogLine) => boolean, timeoutMs: number, from = 0): Promise<Received> {
    for (let i = from; i < this.received.length; i++)
      if (pred(this.received[i]!.line)) return Promise.resolve(this.received[i]!);
    return new Promise((resolve, reject) => {
      const w: Waiter = { from, pred, resolve: (r) => (clearTimeout(t), resolve(r)) };
      const t = setTimeout(() => {
        this.waiters.delete(w);
        const tail = this.received
          .slice(-3)
          .map((r) => JSON.stringify(r.line))
          .join('\n');
        reject(
          new Error(
            `controller: no matching log line within ${timeoutMs} ms${this.exited ? ' (it exited)' : ''}; last lines:\n${tail}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(w);
    });
  }

  /** Resolves once no log line has arrived for `quietMs` (or after `maxMs`). */
  async quiet(quietMs: number, maxMs: number): Promise<void> {
    const deadline = performance.now() + maxMs;
    while (performance.now() < deadline && performance.now() - this.lastLineAt < quietMs) {
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  linesSince(from: number): Received[] {
    return this.received.slice(from);
  }

  /** SIGTERM and wait (the controller finishes in-flight work); SIGKILL after `graceMs`. */
  stop(): Promise<void> {
    return this.undo();
  }

  private async stopNow(graceMs = 15_000): Promise<void> {
    if (this.exited) return;
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await this.proc;
    clearTimeout(t);
  }
}
