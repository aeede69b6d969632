// The agent pipeline in one place: load → observe → plan → act → record, for the controller and for --once.
import { Controller, type ControllerMetrics } from '../../src/engine/controller.js';
import { everyJittered } from '../../src/engine/periodic.js';
import { runUntilSettled } from '../../src/engine/run-until-settled.js';
import type { Observation } from '../../src/runtime/types.js';
import type { AgentDeps } from './deps.js';
import { allNames, pruneBlocked, runtimeKeysInUse } from './inventory.js';
import { outcomeOf, type OnceOutcome } from './outcomes.js';
import { agentReconciler } from './reconciler.js';
import { watchSessions } from './session/source.js';
import { SettledBook } from './settled.js';
import { HOST_POLL_MS, watchHostChanges, watchHosts } from './hosts/watch.js';
import { hostOfKey } from './placement.js';
import {
  reportSpecErrors,
  requestConsumer,
  resync,
  runDirsOf,
  specReloader,
  watchServers,
  watchSpecs,
  watchStateDir,
} from './sources.js';

/** 1. Load: the registry, then the specs (their dependsOn index covers both). */
export async function load(d: AgentDeps): Promise<void> {
  await d.records.load();
  await d.desired.reload(d.records.all());
}

export interface ObserveOptions {
  /** Sweep what a crash of an earlier run left behind first: on every runtime, or on this machine's only
   * (a Host's start batch sweeps its own). */
  sweep?: 'all' | 'local';
  /** Wait for this machine's runtimes only: a Host over SSH that hangs must hold up nobody (its
   * agents wait on their own view). */
  localOnly?: boolean;
}

/** Each runtime's observation, or the error it failed with. */
export type Observed = Map<string, Promise<Observation | Error>>;

/** 2. Observe every runtime in use once, all at once (one call each); a runtime that fails is
 * reported in the map, as its own promise, so a caller can wait for some without the others. */
export async function observe(d: AgentDeps, o: ObserveOptions = {}): Promise<Observed> {
  const keys = runtimeKeysInUse(d);
  if (o.sweep) {
    const swept = o.sweep === 'all' ? keys : keys.filter((k) => hostOfKey(k) === undefined);
    await Promise.all(
      swept.map((k) =>
        Promise.resolve(d.runtimes.get(k).sweep?.()).catch((err: Error) =>
          d.log.warn({ runtime: k, error: err.message }, 'cannot sweep leftovers'),
        ),
      ),
    );
  }
  const observing = d.views.observeAll(keys);
  const waited = [...observing].filter(([k]) => !o.localOnly || hostOfKey(k) === undefined);
  await Promise.all(waited.map(([, p]) => p));
  return observing;
}

/** The observations once every runtime has answered (or failed). */
export async function settled(observing: Observed): Promise<Map<string, Observation | Error>> {
  return new Map(await Promise.all([...observing].map(async ([k, p]) => [k, await p] as const)));
}

/** 3–5. Plan, act and record happen per agent in the reconciler, run by the generic loop. */
export function agentController(
  d: AgentDeps,
  concurrency: number,
  book: SettledBook,
  metrics?: ControllerMetrics,
): Controller {
  const c: Controller = new Controller({
    reconcile: agentReconciler(d, (names) => c.enqueueAll(names), book),
    concurrency,
    ...(metrics ? { metrics } : {}),
  });
  c.onProcessed((name, s) => {
    if (s.error !== undefined)
      d.log.debug({ agent: name, error: s.error, failures: s.failures }, 'reconcile failed; will retry');
  });
  return c;
}

export interface OnceReport {
  outcomes: OnceOutcome[];
  timedOut: boolean;
  invalidSpecs: number;
  /** Runtimes that could not be observed at the start. */
  unobservable: Map<string, Error>;
}

/** reconcile --once: the same pipeline, run until every agent has settled or the deadline passes. */
export interface OnceRun {
  deadlineMs: number;
  concurrency?: number;
  signal?: AbortSignal;
  /** Converge only these agents (a request carried out without a controller). */
  only?: ReadonlySet<string>;
  /** The stores are loaded already. */
  loaded?: boolean;
}

export async function convergeOnce(d: AgentDeps, o: OnceRun): Promise<OnceReport> {
  if (!o.loaded) await load(d);
  // Leftovers of a crashed run are swept first; this machine's runtimes answer in milliseconds and
  // are waited for, Hosts over SSH are not.
  const observing = await observe(d, { sweep: 'local', localOnly: true });
  const guard = pruneBlocked(d);
  if (guard) d.log.warn({ reason: guard }, 'prune refused');
  const names = o.only ? new Set(o.only) : allNames(d);
  const book = new SettledBook(true);
  // Unless told otherwise, every agent is in flight at once, so their starts leave as one batch.
  const c = agentController(d, o.concurrency ?? Math.max(1, names.size), book);
  const stopHosts = d.hosts ? watchHostChanges(d, c) : undefined;
  // Start-up of terminal sessions (prompts, ready pattern, commands) is part of converging.
  const stopSessions = watchSessions(d, c);
  const run = await runUntilSettled(c, {
    keys: names,
    deadlineMs: o.deadlineMs,
    maxFailures: 3,
    ...(o.signal ? { signal: o.signal } : {}),
  }).finally(stopSessions);
  stopHosts?.();
  const views = await settled(observing);
  const unobservable = new Map([...views].filter((e): e is [string, Error] => e[1] instanceof Error));
  for (const [key, v] of views)
    if (!(v instanceof Error) && v.foreign.length > 0)
      d.log.info({ runtime: key, foreign: v.foreign }, 'foreign sessions on our socket are left alone');
  await d.hooks?.drain?.();
  await d.desired.saveCache();
  const outcomes = [...names].sort().map((n) => outcomeOf(d, n, run.statuses.get(n), book.plans.get(n)));
  return { outcomes, timedOut: run.timedOut, invalidSpecs: d.desired.specs.errors.length, unobservable };
}

export interface ControllerRun {
  concurrency: number;
  resyncMs: number;
  specsDir: string;
  signal: AbortSignal;
  metrics?: ControllerMetrics;
  /** Told when agents may have changed (after their reconcile; all of them after a spec reload). */
  onChange?: (names?: readonly string[]) => void;
  /** How often each Host over SSH is looked at between resyncs (its exits are not watched). */
  hostPollMs?: number;
  /** Told after every resync (whether any runtime could be observed). */
  onResync?: (observedAny: boolean) => void;
  /** Asked after every resync whether this controller may go on; false: it steps down (its lock
   * was lost). */
  mayGoOn?: () => Promise<boolean>;
}

/** The long-running controller: sources feed the loop until the signal aborts it. Agents keep
 * running when it returns: the controller is not their parent. */
export async function runController(d: AgentDeps, o: ControllerRun): Promise<'stopped' | 'stepped-down'> {
  await load(d);
  reportSpecErrors(d);
  d.log.info(
    {
      specs: d.desired.specs.specsDir,
      agents: d.desired.specs.agents.size,
      records: d.records.size,
      host: d.identity.host,
      state: d.identity.stateDir,
    },
    'controller starting',
  );
  const c = agentController(d, o.concurrency, new SettledBook(), o.metrics);
  if (o.onChange) c.onProcessed((name) => o.onChange!([name]));
  const reload = specReloader(d, c, () => o.onChange?.());
  const consume = requestConsumer(d, c);
  const state = await watchStateDir(d, c, runDirsOf(d.identity.stateDir), () => void consume());
  const specs = watchSpecs(d, o.specsDir, reload);
  await specs.start();
  // A request dropped while the watcher was busy still lands within a second.
  const poll = setInterval(() => void consume(), 1000);
  const stopServerWatch = watchServers(d, c);
  const stopHosts = d.hosts ? watchHosts(d, c, o.hostPollMs ?? HOST_POLL_MS) : undefined;
  const stopSessions = watchSessions(d, c);
  let outcome: 'stopped' | 'stepped-down' = 'stopped';
  let lost: () => void = () => undefined;
  const steppedDown = new Promise<void>((res) => (lost = res));
  const tick = async (): Promise<void> => {
    if (o.signal.aborted) return;
    await specs.retarget();
    const observedAny = await resync(d, c, reload).catch(
      (err: Error) => (d.log.error({ error: err.message }, 'resync failed'), false),
    );
    o.onResync?.(observedAny);
    if (o.mayGoOn && !(await o.mayGoOn())) {
      outcome = 'stepped-down';
      lost();
    }
  };
  try {
    await consume();
    await settled(await observe(d, { sweep: 'all' }));
    await tick();
    c.enqueueAll(allNames(d));
    c.start();
    const stopResync = everyJittered(o.resyncMs, tick);
    d.log.info({ resyncMs: o.resyncMs, concurrency: o.concurrency }, 'controller running');
    if (!o.signal.aborted)
      await Promise.race([new Promise((res) => o.signal.addEventListener('abort', res, { once: true })), steppedDown]);
    stopResync();
  } finally {
    clearInterval(poll);
    stopServerWatch();
    stopHosts?.();
    await Promise.all([specs.close(), state.close(), stopSessions()]);
    await c.stop();
    await d.hooks?.drain?.();
    await d.desired.saveCache();
    await d.hosts?.close();
  }
  return outcome;
}
