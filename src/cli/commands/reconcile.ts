// agentctl reconcile: --once converges and exits; without it, runs the controller until SIGTERM.
import { formatSpecError } from '../../spec/errors.js';
import { Controller } from '../../engine/controller.js';
import { LockHeldError, waitLock } from '../../engine/lock.js';
import { runOnce } from '../../engine/once.js';
import { parseDuration } from '../../util/duration.js';
import { createContext, createWorld, type GlobalOptions } from '../context.js';
import { ExitError } from '../exit.js';

export function parseConcurrency(v: unknown): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new ExitError(2, `--concurrency must be a positive integer (got ${String(v)})`);
  return n;
}

function durationFlag(name: string, v: unknown): number {
  try {
    return parseDuration(String(v));
  } catch (err) {
    throw new ExitError(2, `--${name}: ${(err as Error).message}`);
  }
}

export async function reconcile(g: GlobalOptions, opts: Record<string, unknown>): Promise<void> {
  const concurrency = parseConcurrency(opts.concurrency);
  const allowMassPrune = opts.allowMassPrune === true;
  if (!opts.once) {
    const resyncMs = durationFlag('resync', opts.resync);
    const { serve } = await import('../../engine/serve.js');
    const ctx = createContext(g);
    process.exitCode = await serve(ctx, createWorld(ctx, allowMassPrune), {
      concurrency,
      resyncMs,
      ...(typeof opts.metricsAddr === 'string' ? { metricsAddr: opts.metricsAddr } : {}),
    });
    return;
  }

  const timeoutMs = durationFlag('timeout', opts.timeout);
  const started = Date.now();
  const ctx = createContext(g);
  let lock;
  try {
    lock = await waitLock(ctx.stateDir, ctx.host, 'agentctl reconcile --once', timeoutMs);
  } catch (err) {
    if (err instanceof LockHeldError) throw new ExitError(2, `${err.message}; gave up after ${opts.timeout}`);
    throw new ExitError(2, `cannot take the lock in ${ctx.stateDir}: ${(err as Error).message}`);
  }
  try {
    const w = createWorld(ctx, allowMassPrune);
    await w.loadRegistry();
    await w.reloadSpecs();
    for (const e of w.specs.errors) process.stdout.write(`${formatSpecError(e)}\n`);
    try {
      await Promise.all(w.runtimesInUse().map((rt) => w.observer.get(rt)));
    } catch (err) {
      throw new ExitError(2, (err as Error).message);
    }
    for (const rt of w.runtimesInUse()) {
      const foreign = w.observer.peek(rt)?.foreign ?? [];
      if (foreign.length > 0) ctx.log.info({ runtime: rt, foreign }, 'foreign sessions on our socket are left alone');
    }
    const guard = w.pruneBlocked();
    if (guard) ctx.log.warn({ reason: guard }, 'prune refused');
    const c = new Controller(w, concurrency);
    const summary = await runOnce(w, c, Math.max(0, timeoutMs - (Date.now() - started)), undefined, durationFlag('settle', opts.settle));
    const bad = summary.outcomes.filter((o) => !o.converged);
    for (const o of bad) process.stdout.write(`${o.name}: not converged: ${o.phase} (${o.reason})${o.message ? `: ${o.message}` : ''}\n`);
    const ok = summary.outcomes.length - bad.length;
    process.stdout.write(
      `${ok}/${summary.outcomes.length} agent(s) converged${summary.timedOut ? ` (timed out after ${opts.timeout})` : ''}` +
        `${summary.invalidSpecs > 0 ? `; ${summary.invalidSpecs} spec error(s)` : ''}\n`,
    );
    ctx.log.debug({ subprocesses: ctx.exec.spawned, observeCalls: Object.fromEntries(w.observer.calls), durationMs: Date.now() - started }, 'reconcile --once done');
    if (bad.length > 0 || summary.invalidSpecs > 0) throw new ExitError(1);
  } finally {
    await lock.release();
  }
}
