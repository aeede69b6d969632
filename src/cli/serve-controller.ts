// `agentctl reconcile` without --once: lock, signals, the HTTP server and exit codes around the controller.
import { runController } from '../../controllers/agent/pipeline.js';
import { registerAgentMetrics } from '../../controllers/agent/metrics.js';
import { runtimeKeyOf } from '../../controllers/agent/placement.js';
import { LockHeldError, tryLock } from '../engine/lock.js';
import { keepYoungGenerationSmall } from '../engine/heap-tuning.js';
import { createMetrics } from '../engine/metrics.js';
import { npmLauncher, watchParent } from '../engine/parent-watch.js';
import { serialised } from '../engine/periodic.js';
import { clockGroups } from '../logs/clock-groups.js';
import { ClockStore } from '../logs/clock-store.js';
import { sampleOutput } from '../logs/sampler.js';
import { createFleetSource } from '../http/fleet-adapter.js';
import { HttpConfigError, startHttpServer, type HttpServer } from '../http/server.js';
import { agentDeps } from './agent-deps.js';
import { createContext, type GlobalOptions } from './context.js';
import { SpecsFolderNotice } from './specs-notice.js';

/** How often the output clock is sampled: the precision of `logs --since` and `--timestamps`. */
export const CLOCK_SAMPLE_MS = 10_000;

export interface ServeOptions {
  concurrency: number;
  resyncMs: number;
  allowMassPrune: boolean;
  httpAddr?: string;
  httpToken?: string;
}

/** Exit code: 0 after a clean shutdown, 2 when another controller holds the state dir, this one
 * lost its lock, or the HTTP address is refused; 130 on a second signal. */
export async function serveController(g: GlobalOptions, o: ServeOptions): Promise<number> {
  keepYoungGenerationSmall();
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
  const launcher = npmLauncher(process.env);
  const stopParentWatch = launcher
    ? watchParent({
        intervalMs: 500,
        onGone: (pid) => {
          log.info(
            { launcher: `npm ${launcher}`, pid },
            'the npm that started this controller is gone: shutting down; agents keep running',
          );
          abort.abort();
        },
      })
    : () => undefined;

  // The lock file can be lost under a running controller (`rm -rf state`, another controller
  // taking over a garbled lock): checked on every resync and every 10 s, and a controller that
  // lost it steps down (exit 2) rather than race a second one on the same agents.
  let lockLost = false;
  const stillHolding = async (): Promise<boolean> => {
    const check = await lock.verify();
    if (!check.held && !lockLost) {
      lockLost = true;
      log.error({ lock: lock.file, reason: check.reason }, 'lost the state dir lock: stepping down');
      abort.abort();
    }
    return check.held;
  };
  const lockTimer = setInterval(() => void stillHolding(), 10_000);
  lockTimer.unref();
  const d = agentDeps(ctx, { allowMassPrune: o.allowMassPrune });
  const folder = new SpecsFolderNotice(log);
  const checkFolder = (): void => void folder.check(d.desired.specs.specsDir, d.desired.specs.exists);
  // The output clock (logs --since, --timestamps): where each agent's output ended, every 10 s
  // (one tmux call, one append per agent that printed something).
  const clock = new ClockStore(ctx.stateDir);
  const sampleClock = serialised(async () => {
    await sampleOutput(clock, clockGroups(d), Date.now).catch((err: Error) =>
      log.debug({ error: err.message }, 'output clock not sampled'),
    );
  });
  let clockTimer: NodeJS.Timeout | undefined;
  const metrics = createMetrics('agent');
  registerAgentMetrics(metrics.registry, {
    records: () => d.records.all(),
    hosts: () => [
      { host: ctx.host, up: true },
      ...(d.hosts?.names() ?? [])
        .filter((n) => n !== ctx.host)
        .map((n) => ({ host: n, up: d.hosts?.stateOf(n)?.reachable === true })),
    ],
  });
  let ready = false;
  const fleet = createFleetSource({
    state: () => ({ specs: d.desired.specs, records: d.records.view, host: ctx.host }),
    logs: (name, n) => d.runtimes.get(runtimeKeyOf(d.desired.get(name), d.records.get(name))).logs(name, n),
    metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }),
    ready: () => ready,
    home: ctx.home,
  });
  let http: HttpServer | undefined;
  try {
    if (o.httpAddr) {
      try {
        http = await startHttpServer({ addr: o.httpAddr, token: o.httpToken, source: fleet, log });
      } catch (err) {
        if (!(err instanceof HttpConfigError) && (err as NodeJS.ErrnoException).code === undefined) throw err;
        process.stderr.write(`agentctl: ${(err as Error).message}\n`);
        return 2;
      }
      log.info({ url: http.url }, 'serving the fleet page, /api/agents, /api/events, /metrics, /healthz, /readyz');
    }
    const outcome = await runController(d, {
      concurrency: o.concurrency,
      resyncMs: o.resyncMs,
      specsDir: ctx.specsDir,
      signal: abort.signal,
      metrics: metrics.hooks,
      onChange: (names) => {
        if (names === undefined) checkFolder(); // the specs were reloaded
        fleet.changed(names);
      },
      onResync: async (observedAny) => {
        checkFolder();
        clockTimer ??= setInterval(() => void sampleClock(), CLOCK_SAMPLE_MS);
        void sampleClock();
        ready ||= observedAny;
        return stillHolding();
      },
    });
    log.info('controller stopped');
    return outcome === 'stopped' && !lockLost ? 0 : 2;
  } finally {
    stopParentWatch();
    clearInterval(clockTimer);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    clearInterval(lockTimer);
    await http?.close();
    // A lock we lost is someone else's now: never remove it.
    if (!lockLost) await lock.release();
  }
}
