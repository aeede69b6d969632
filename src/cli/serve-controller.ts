// `agentctl reconcile` without --once: lock, signals, the metrics server and exit codes around the controller.
import type { Server } from 'node:http';
import { runController } from '../../controllers/agent/pipeline.js';
import { registerAgentMetrics } from '../../controllers/agent/metrics.js';
import { LockHeldError, tryLock } from '../engine/lock.js';
import { createMetrics, serveMetrics } from '../engine/metrics.js';
import { agentDeps } from './agent-deps.js';
import { createContext, type GlobalOptions } from './context.js';

export interface ServeOptions {
  concurrency: number;
  resyncMs: number;
  allowMassPrune: boolean;
  httpAddr?: string;
  httpToken?: string;
}

/** Exit code: 0 after a clean shutdown, 2 when another controller holds the state dir or this
 * one lost its lock, 130 on a second signal. */
export async function serveController(g: GlobalOptions, o: ServeOptions): Promise<number> {
  const ctx = createContext(g);
  const log = ctx.log;
  let lock;
  try {
    lock = await tryLock(ctx.stateDir, ctx.host, 'agentctl reconcile');
  } catch (err) {
    if (err instanceof LockHeldError) {
      process.stderr.write(`agentctl: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const abort = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (abort.signal.aborted) {
      log.warn({ signal: sig }, 'second signal: exiting at once');
      process.exit(130);
    }
    log.info({ signal: sig }, 'shutting down: finishing in-flight work; agents keep running');
    abort.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  const d = agentDeps(ctx, { allowMassPrune: o.allowMassPrune });
  const metrics = createMetrics('agent');
  registerAgentMetrics(metrics.registry, d.records);
  let ready = false;
  let server: Server | undefined;
  try {
    if (o.httpAddr) {
      server = await serveMetrics(o.httpAddr, metrics, () => ready);
      const a = server.address();
      log.info({ addr: typeof a === 'object' && a ? `${a.address}:${a.port}` : o.httpAddr }, 'serving /metrics, /healthz, /readyz');
    }
    const outcome = await runController(d, {
      concurrency: o.concurrency,
      resyncMs: o.resyncMs,
      specsDir: ctx.specsDir,
      signal: abort.signal,
      metrics: metrics.hooks,
      onResync: (observedAny) => {
        ready ||= observedAny;
        return true;
      },
    });
    log.info('controller stopped');
    return outcome === 'stopped' ? 0 : 2;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    if (server) await new Promise((r) => server!.close(() => r(undefined)));
    await lock.release();
  }
}
