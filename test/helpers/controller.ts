// Starts the real controller (`agentctl reconcile`) as a child process and reads its JSON logs.
import { execa, type ResultPromise } from 'execa';
import { onTestFailed } from 'vitest';
import { createServer } from 'node:net';
import { CLI, type Sandbox } from './cli.js';

export interface RunningController {
  proc: ResultPromise;
  lines: Record<string, unknown>[];
  /** Resolves with the first log line (already seen or future) that matches. */
  waitForLog(pred: (l: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  stop(signal?: NodeJS.Signals): Promise<{ exitCode: number; ms: number }>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function startController(
  sb: Sandbox,
  args: string[] = [],
  env: Record<string, string> = {},
  /** A command the controller runs under, e.g. `['prlimit', '--nofile=300:300']`. */
  wrap: string[] = [],
): Promise<RunningController> {
  const argv = [...wrap, 'node', CLI, 'reconcile', ...args];
  const proc = execa(argv[0]!, argv.slice(1), {
    env: { ...sb.env, ...env },
    reject: false,
    cwd: sb.dir,
    buffer: false,
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: { pred: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] =
    [];
  let buf = '';
  proc.stderr.on('data', (chunk: Buffer) => {
    buf += chunk.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const text = buf.slice(0, i);
      buf = buf.slice(i + 1);
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        line = { msg: text, raw: true };
      }
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.pred(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  const ctl: RunningController = {
    proc,
    lines,
    waitForLog(pred, timeoutMs = 15_000) {
      const seen = lines.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () =>
            reject(
              new Error(`log line not seen within ${timeoutMs}ms; last lines: ${JSON.stringify(lines.slice(-5))}`),
            ),
          timeoutMs,
        );
        waiters.push({ pred, resolve: (l) => (clearTimeout(t), resolve(l)) });
      });
    },
    async stop(signal = 'SIGTERM') {
      const t0 = Date.now();
      if (proc.exitCode === null) proc.kill(signal);
      const r = await proc;
      return { exitCode: r.exitCode ?? -1, ms: Date.now() - t0 };
    },
  };
  await ctl.waitForLog((l) => l.msg === 'controller running' || proc.exitCode !== null, 20_000);
  // If the test fails, show what the controller said: these tests are mostly about its timing.
  onTestFailed(() => console.log(lines.map((l) => JSON.stringify(l)).join('\n')));
  return ctl;
}
