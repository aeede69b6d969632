// `agentctl reconcile` without --once: the lock, what ends it, the HTTP side and the exit code around the controller.
import { runController } from '../../controllers/agent/pipeline.js';
import { LockHeldError, tryLock } from '../engine/lock.js';
import { keepYoungGenerationSmall } from '../engine/heap-tuning.js';
import { agentDeps } from './agent-deps.js';
import { createContext, type GlobalOptions } from './context.js';
import { ServeRefused, startFleetServer, type FleetServer } from './serve/fleet-server.js';
import { keepLock } from './serve/lock-keeper.js';
import { outputClock } from './serve/output-clock.js';
import { shutdownOn } from './serve/shutdown.js';
import { SpecsFolderNotice } from './specs-notice.js';

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
    if (err instanceof LockHeldError) return refuse(err.message);
    throw err;
  }
  const abort = new AbortController();
  const stopShutdown = shutdownOn(log, abort);
  const keeper = keepLock(lock, log, () => abort.abort());
  const d = agentDeps(ctx, { allowMassPrune: o.allowMassPrune });
  const folder = new SpecsFolderNotice(log);
  const checkFolder = (): void => void folder.check(d.desired.specs.specsDir, d.desired.specs.exists);
  const clock = outputClock(d, ctx.stateDir, log);
  let server: FleetServer | undefined;
  try {
    try {
      server = await startFleetServer(ctx, d, o);
    } catch (err) {
      if (err instanceof ServeRefused) return refuse(err.message);
      throw err;
    }
    const { fleet, markReady } = server;
    const outcome = await runController(d, {
      concurrency: o.concurrency,
      resyncMs: o.resyncMs,
      specsDir: ctx.specsDir,
      signal: abort.signal,
      metrics: server.metrics,
      onChange: (names) => {
        if (names === undefined) checkFolder(); // the specs were reloaded
        fleet.changed(names);
      },
      onResync: (observedAny) => {
        checkFolder();
        clock.sample();
        if (observedAny) markReady();
      },
      mayGoOn: () => keeper.check(),
    });
    log.info('controller stopped');
    return outcome === 'stopped' && !keeper.lost ? 0 : 2;
  } finally {
    stopShutdown();
    clock.stop();
    keeper.stop();
    await server?.close();
    // A lock we lost is someone else's now: never remove it.
    if (!keeper.lost) await lock.release();
  }
}

function refuse(message: string): number {
  process.stderr.write(`agentctl: ${message}\n`);
  return 2;
}
