// The long-running controller: lock, watchers, resync, requests, metrics, and graceful shutdown.
import { watch, type FSWatcher } from 'chokidar';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Server } from 'node:http';
import type { Context } from '../cli/context.js';
import { formatSpecError } from '../spec/errors.js';
import { emptyRecord } from '../registry/record.js';
import { Controller } from './controller.js';
import { needsReconcile } from './drift.js';
import { LockHeldError, tryLock } from './lock.js';
import { createMetrics, serveMetrics } from './metrics.js';
import { applyRequest, readRequests, removeRequest, requestsDir } from './requests.js';
import { SpecWatcher } from './spec-watcher.js';
import type { World } from './world.js';

export interface ServeOptions {
  concurrency: number;
  resyncMs: number;
  metricsAddr?: string;
}

/** Serialises a task: a call while it runs schedules exactly one more run afterwards. */
function serialised(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await fn();
      } while (again);
    })().finally(() => (running = undefined));
    return running;
  };
  return run;
}

export async function serve(ctx: Context, w: World, o: ServeOptions): Promise<number> {
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

  let ready = false;
  let stopping = false;
  let metricsServer: Server | undefined;
  let stateWatcher: FSWatcher | undefined;
  let specWatcher: SpecWatcher | undefined;
  let resyncTimer: NodeJS.Timeout | undefined;
  let requestPoll: NodeJS.Timeout | undefined;
  const metrics = createMetrics(() => {
    const counts = new Map<string, number>();
    for (const r of w.records.values()) counts.set(r.phase, (counts.get(r.phase) ?? 0) + 1);
    return counts;
  });
  const c = new Controller(w, o.concurrency, metrics.hooks, false);

  const reportSpecErrors = (): void => {
    for (const e of w.specs.errors) log.warn({ file: e.file, line: e.line, col: e.col, field: e.path }, `invalid spec: ${formatSpecError(e)}`);
  };

  let forceReload = true;
  const reload = serialised(async () => {
    try {
      // A watcher event always reloads; the resync's safety-net reload only if a file changed.
      const force = forceReload;
      forceReload = true;
      const changed = force ? await w.reloadSpecs() : await w.reloadSpecsIfChanged();
      if (changed.size > 0) {
        log.info({ changed: changed.size, errors: w.specs.errors.length }, 'specs changed');
        reportSpecErrors();
      }
      c.enqueueAll(changed);
    } catch (err) {
      log.error({ error: (err as Error).message }, 'cannot load specs');
    }
  });

  const consumeRequests = serialised(async () => {
    for (const p of await readRequests(ctx.stateDir)) {
      if (!p.request) {
        log.warn({ file: p.file, error: p.error }, 'ignoring unreadable request');
        await removeRequest(p.file);
        continue;
      }
      for (const name of p.request.names) {
        const desired = w.specs.agents.get(name);
        const existing = w.records.get(name) ?? (desired ? emptyRecord(name, desired.spec.runtime, ctx.owner, Date.now()) : undefined);
        if (!existing) {
          log.warn({ agent: name, request: p.request.type }, 'request for an unknown agent ignored');
          continue;
        }
        const next = applyRequest(existing, p.request);
        w.records.set(name, next);
        await w.registry.save(next);
        log.info({ agent: name, request: p.request.type, stop: p.request.stop }, `${p.request.type} requested`);
        c.enqueue(name);
      }
      await removeRequest(p.file);
    }
  });

  const resync = async (): Promise<void> => {
    if (stopping) return;
    try {
      await specWatcher?.retarget();
      forceReload = false;
      await reload();
      const runtimes = w.runtimesInUse();
      const snaps = await Promise.all(runtimes.map((rt) => w.observer.refresh(rt)));
      ready = true;
      let queued = 0;
      for (const name of w.allNames()) {
        const rec = w.records.get(name);
        const rt = rec?.runtime ?? w.specs.agents.get(name)?.spec.runtime ?? 'tmux';
        const observed = snaps[runtimes.indexOf(rt)]?.agents.get(name);
        if (needsReconcile(w.specs.agents.get(name), rec, observed, ctx.owner)) {
          c.enqueue(name);
          queued++;
        }
      }
      const foreign = snaps.flatMap((s) => s.foreign);
      if (queued > 0 || foreign.length > 0) log.info({ queued, foreign }, 'resync');
      else log.debug({ queued }, 'resync');
    } catch (err) {
      log.error({ error: (err as Error).message }, 'resync failed');
    }
  };

  const scheduleResync = (): void => {
    if (stopping) return;
    const jitter = 1 + (Math.random() - 0.5) * 0.2;
    resyncTimer = setTimeout(() => void resync().finally(scheduleResync), Math.max(100, o.resyncMs * jitter));
  };

  const done = new Promise<void>((resolve) => {
    const onSignal = (sig: NodeJS.Signals): void => {
      if (stopping) {
        log.warn({ signal: sig }, 'second signal: exiting at once');
        process.exit(130);
      }
      stopping = true;
      log.info({ signal: sig }, 'shutting down: finishing in-flight work; agents keep running');
      resolve();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });

  try {
    if (o.metricsAddr) {
      metricsServer = await serveMetrics(o.metricsAddr, metrics, () => ready);
      const a = metricsServer.address();
      log.info({ addr: typeof a === 'object' && a ? `${a.address}:${a.port}` : o.metricsAddr }, 'serving /metrics, /healthz, /readyz');
    }
    await w.loadRegistry();
    await w.reloadSpecs();
    reportSpecErrors();
    log.info({ specs: w.specs.specsDir, agents: w.specs.agents.size, records: w.records.size, host: ctx.host, socket: ctx.socket, state: ctx.stateDir }, 'controller starting');

    // Exit files and requests are written into the state dir: watching them wakes the right agent
    // at once instead of at the next resync.
    const runDir = join(ctx.stateDir, 'run');
    await mkdir(runDir, { recursive: true });
    await mkdir(requestsDir(ctx.stateDir), { recursive: true });
    stateWatcher = watch([runDir, requestsDir(ctx.stateDir)], { ignoreInitial: true, depth: 2 });
    // An exit file means the agent's process ended after any view we hold: look again, afresh.
    const exited = (file: string): void => {
      const name = file.slice(0, file.indexOf('.'));
      w.needFreshView(name);
      c.enqueue(name);
    };
    stateWatcher.on('add', (path) => {
      const file = basename(path);
      if (file.endsWith('.exit')) exited(file);
      else if (file.endsWith('.json')) void consumeRequests();
    });
    stateWatcher.on('change', (path) => {
      const file = basename(path);
      if (file.endsWith('.exit')) exited(file);
    });
    await new Promise<void>((res) => stateWatcher!.once('ready', () => res()));
    // A request dropped while the watcher was busy still lands within a second.
    requestPoll = setInterval(() => void consumeRequests(), 1000);
    requestPoll.unref();

    specWatcher = new SpecWatcher(ctx.specsDir, () => void reload(), log);
    await specWatcher.start();

    await consumeRequests();
    await resync();
    c.enqueueAll(w.allNames());
    c.start();
    scheduleResync();
    log.info({ resyncMs: o.resyncMs, concurrency: o.concurrency }, 'controller running');

    await done;
    if (resyncTimer) clearTimeout(resyncTimer);
    if (requestPoll) clearInterval(requestPoll);
    await Promise.all([specWatcher.close(), stateWatcher.close()]);
    await c.stop();
    await w.o.hooks?.drain?.();
    await w.saveCache();
    log.info('controller stopped');
    return 0;
  } finally {
    if (metricsServer) await new Promise((r) => metricsServer!.close(() => r(undefined)));
    await lock.release();
  }
}
