// agentctl reconcile: --once converges and exits; without it, runs the controller until SIGTERM.
import { LockHeldError, waitLock } from '../../engine/lock.js';
import { AddressError, bindRefusal, parseHttpAddr, tokenRefusal } from '../../http/address.js';
import { parseFlagDuration } from '../../util/duration.js';
import { convergeOnce } from '../../../controllers/agent/pipeline.js';
import { markUnanswered } from '../../../controllers/agent/unanswered.js';
import { agentDeps } from '../agent-deps.js';
import { createContext, type GlobalOptions } from '../context.js';
import { ExitError } from '../exit.js';
import { startOnceProgress } from '../once-progress.js';
import { printOnceReport, printSpecErrors, waitForController } from '../once-report.js';
import { missingFolderText } from '../specs-notice.js';

export function parseConcurrency(v: unknown): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new ExitError(2, `--concurrency must be a positive integer (got ${String(v)})`);
  return n;
}

export function durationFlag(name: string, v: unknown): number {
  try {
    return parseFlagDuration(String(v));
  } catch (err) {
    throw new ExitError(2, `--${name}: ${(err as Error).message}`);
  }
}

/** --http-addr and --http-token judged before the lock is taken: a usage error is one (exit 2)
 * whether or not another controller runs, never reported as "another agentctl holds the lock". */
export function checkHttpFlags(addr: string | undefined, token: string | undefined): void {
  const tokenProblem = tokenRefusal(token);
  if (tokenProblem) throw new ExitError(2, tokenProblem);
  if (addr === undefined) return;
  try {
    const refusal = bindRefusal(parseHttpAddr(addr), token);
    if (refusal) throw new ExitError(2, refusal);
  } catch (err) {
    if (err instanceof AddressError) throw new ExitError(2, err.message);
    throw err;
  }
}

/** A second SIGTERM/SIGINT, or the --once deadline passed with steps still stuck, ends at once. */
const HARD_DEADLINE_GRACE_MS = 5000;
/** How long giving up may spend marking unobservable agents Unknown. */
const MARK_UNKNOWN_MS = 2000;

export async function reconcile(g: GlobalOptions, opts: Record<string, unknown>): Promise<void> {
  const concurrency = parseConcurrency(opts.concurrency);
  const allowMassPrune = opts.allowMassPrune === true;
  // Every duration is checked before anything runs (a usage error, whichever mode ignores it).
  const resyncMs = durationFlag('resync', opts.resync);
  if (!opts.once) {
    const httpAddr =
      typeof opts.httpAddr === 'string' ? opts.httpAddr : typeof opts.metricsAddr === 'string' ? opts.metricsAddr : '';
    const httpToken = typeof opts.httpToken === 'string' ? opts.httpToken : undefined;
    checkHttpFlags(httpAddr === '' ? undefined : httpAddr, httpToken);
    const { serveController } = await import('../serve-controller.js');
    process.exitCode = await serveController(g, {
      concurrency,
      resyncMs,
      allowMassPrune,
      ...(httpAddr !== '' ? { httpAddr } : {}),
      ...(httpToken !== undefined ? { httpToken } : {}),
    });
    return;
  }

  const timeoutMs = durationFlag('timeout', opts.timeout);
  const settleMs = durationFlag('settle', opts.settle);
  const started = Date.now();
  const deadline = started + timeoutMs;
  const ctx = createContext(g);
  let lock;
  try {
    lock = await waitLock(ctx.stateDir, ctx.host, 'agentctl reconcile --once', Math.min(timeoutMs, 2000));
  } catch (err) {
    if (!(err instanceof LockHeldError))
      throw new ExitError(2, `cannot take the lock in ${ctx.stateDir}: ${(err as Error).message}`);
    // A running controller converges the same specs: wait for it rather than race it.
    if (err.holder?.command === 'agentctl reconcile') {
      await waitForController(agentDeps(ctx, { allowMassPrune }), err, deadline, String(opts.timeout));
      return;
    }
    try {
      lock = await waitLock(ctx.stateDir, ctx.host, 'agentctl reconcile --once', Math.max(0, deadline - Date.now()));
    } catch (again) {
      if (again instanceof LockHeldError) throw new ExitError(2, `${again.message}; gave up after ${opts.timeout}`);
      throw again;
    }
  }
  // --timeout is a hard deadline: a step stuck in a runtime that does not answer cannot hold the
  // command past it (the lock is released by the exit; a stale lock is taken over by the next run).
  const d = agentDeps(ctx, { allowMassPrune, settleMs });
  const hard = setTimeout(
    () => {
      const stuck = [...d.views.observer.inFlight()].map(
        ([key, ms]) => `${key}: cannot observe: did not answer within ${Math.round(ms / 1000)}s\n`,
      );
      process.stdout.write(
        `${stuck.join('')}agentctl: not converged: steps still running ${HARD_DEADLINE_GRACE_MS / 1000}s after the timeout (${opts.timeout}); giving up\n`,
      );
      // Agents nobody could look at are Unknown in the registry, not their last Running/True;
      // bounded, since the state dir may be what hangs.
      const marked = markUnanswered(d, d.views.observer.inFlight()).catch(() => []);
      void Promise.race([marked, new Promise((r) => setTimeout(r, MARK_UNKNOWN_MS))]).finally(() => process.exit(1));
    },
    Math.max(0, deadline - Date.now()) + HARD_DEADLINE_GRACE_MS,
  );
  hard.unref();
  try {
    // At a terminal, a live line says what convergence waits for; in a pipe there is none.
    const progress = ctx.tty && process.stderr.isTTY ? startOnceProgress(d, ctx.tty) : undefined;
    const report = await convergeOnce(d, {
      deadlineMs: deadline,
      ...(opts.concurrencyGiven === true ? { concurrency } : {}),
    }).finally(() => progress?.stop());
    if (!d.desired.specs.exists)
      ctx.log.warn({ specs: d.desired.specs.specsDir }, missingFolderText(d.desired.specs.specsDir));
    printSpecErrors(d.desired.specs.errors);
    const ok = printOnceReport(report, String(opts.timeout));
    ctx.log.debug(
      {
        subprocesses: ctx.exec.spawned,
        observeCalls: Object.fromEntries(d.views.observer.calls),
        durationMs: Date.now() - started,
      },
      'reconcile --once done',
    );
    if (!ok) throw new ExitError(1);
  } finally {
    clearTimeout(hard);
    await d.hosts?.close();
    await lock.release();
  }
}
