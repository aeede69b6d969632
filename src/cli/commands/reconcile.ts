// agentctl reconcile: --once converges and exits; without it, runs the controller until SIGTERM.
import { formatSpecError } from '../../spec/errors.js';
import { Controller } from '../../engine/controller.js';
import { LockHeldError, waitLock } from '../../engine/lock.js';
import { recordedOutcomes, runOnce } from '../../engine/once.js';
import { parseDuration } from '../../util/duration.js';
import { createContext, createWorld, type Context, type GlobalOptions } from '../context.js';
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
    lock = await waitLock(ctx.stateDir, ctx.host, 'agentctl reconcile --once', Math.min(timeoutMs, 2000));
  } catch (err) {
    if (!(err instanceof LockHeldError)) throw new ExitError(2, `cannot take the lock in ${ctx.stateDir}: ${(err as Error).message}`);
    // A running controller converges the same specs: wait for it rather than race it.
    if (err.holder?.command === 'agentctl reconcile') {
      await waitForController(ctx, allowMassPrune, err, timeoutMs - (Date.now() - started), String(opts.timeout));
      return;
    }
    try {
      lock = await waitLock(ctx.stateDir, ctx.host, 'agentctl reconcile --once', Math.max(0, timeoutMs - (Date.now() - started)));
    } catch (again) {
      if (again instanceof LockHeldError) throw new ExitError(2, `${again.message}; gave up after ${opts.timeout}`);
      throw again;
    }
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
    // --once converges everything in one go: unless told otherwise, every agent is in flight at
    // once, so their starts leave as one tmux batch (reconciles mostly wait on that batch).
    const c = new Controller(w, opts.concurrencyGiven === true ? concurrency : Math.max(concurrency, w.allNames().size));
    const summary = await runOnce(w, c, Math.max(0, timeoutMs - (Date.now() - started)), undefined, durationFlag('settle', opts.settle));
    await w.saveCache();
    const bad = summary.outcomes.filter((o) => !o.converged);
    for (const o of bad) process.stdout.write(`${o.name}: not converged: ${o.phase} (${o.reason})${o.message ? `: ${o.message}` : ''}\n`);
    const ok = summary.outcomes.length - bad.length;
    process.stdout.write(
      `${ok}/${summary.outcomes.length} agent(s) converged${summary.timedOut && bad.length > 0 ? ` (timed out after ${opts.timeout})` : ''}` +
        `${summary.invalidSpecs > 0 ? `; ${summary.invalidSpecs} spec error(s)` : ''}\n`,
    );
    ctx.log.debug({ subprocesses: ctx.exec.spawned, observeCalls: Object.fromEntries(w.observer.calls), durationMs: Date.now() - started }, 'reconcile --once done');
    if (bad.length > 0 || summary.invalidSpecs > 0) throw new ExitError(1);
  } finally {
    await lock.release();
  }
}

/** Waits until the running controller's records show every agent converged (exit 0), or the
 * timeout passes (exit 1, naming who did not converge). */
async function waitForController(ctx: Context, allowMassPrune: boolean, held: LockHeldError, timeoutMs: number, timeoutText: string): Promise<void> {
  ctx.log.info({ holder: held.holder }, 'a controller is running: waiting for it to converge instead of racing it');
  const deadline = Date.now() + timeoutMs;
  const w = createWorld(ctx, allowMassPrune);
  for (;;) {
    await Promise.all([w.loadRegistry(), w.reloadSpecs()]);
    const outcomes = recordedOutcomes(w);
    const bad = outcomes.filter((o) => !o.converged);
    const done = bad.length === 0 && w.specs.errors.length === 0;
    if (done || Date.now() >= deadline) {
      for (const e of w.specs.errors) process.stdout.write(`${formatSpecError(e)}\n`);
      for (const o of bad) process.stdout.write(`${o.name}: not converged: ${o.phase} (${o.reason})${o.message ? `: ${o.message}` : ''}\n`);
      process.stdout.write(`${outcomes.length - bad.length}/${outcomes.length} agent(s) converged by the running controller (pid ${held.holder?.pid ?? '?'})${done ? '' : ` (timed out after ${timeoutText})`}\n`);
      if (!done) throw new ExitError(1);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
