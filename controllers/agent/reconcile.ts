// reconcile(name): observe (shared view) → plan (pure) → act → record status. Throws to be retried.
import type { World } from '../../src/engine/world.js';
import type { DesiredAgent } from '../../src/spec/load.js';
import { emptyRecord, withEvent, type AgentRecord } from '../../src/registry/record.js';
import type { ExitInfo, ObservedAgent, Runtime } from '../../src/runtime/types.js';
import type { HookName } from '../../src/spec/schema.js';
import { prepareStart, readEnvFiles } from '../../src/workspace/prepare.js';
import { expandHome } from '../../src/util/paths.js';
import { isSecretKey, sealSpec } from '../../src/spec/secrets.js';
import { describeExit, plan, type Plan, type PlanInput } from './plan.js';
import { conditionsFor, isReady } from './status.js';
import { nextProbeAt, probe } from './health.js';
import { runHooks, type HookTarget } from './hook-steps.js';

export interface ReconcileResult {
  plan: Plan;
  requeueAfterMs?: number;
  /** The agent needs nothing more until something changes (for reconcile --once). */
  settled: boolean;
}

/** Waits that only a change from outside (time, a fix, a flag) ends. */
const SETTLED_WAITS = new Set(['BackOff', 'NameConflict', 'PruneBlocked']);

export class StepError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StepError';
  }
}

function dependentsRunning(w: World, name: string, snapshotAlive: (n: string) => boolean): string[] {
  const out: string[] = [];
  for (const rec of w.records.values()) {
    if (rec.name === name) continue;
    const desired = w.specs.agents.get(rec.name);
    const deps = (desired?.spec.dependsOn ?? (rec.appliedSpec?.dependsOn as string[] | undefined)) ?? [];
    if (!deps.includes(name)) continue;
    const stopping = !desired || desired.spec.state === 'Stopped' || (rec.suspended && rec.suspendStop);
    if (stopping && snapshotAlive(rec.name)) out.push(rec.name);
  }
  return out.sort();
}

function recordFor(w: World, name: string, desired: DesiredAgent | undefined, existing: AgentRecord | undefined, now: number): AgentRecord {
  if (existing) return structuredClone(existing);
  return emptyRecord(name, desired?.spec.runtime ?? 'tmux', w.o.owner, now);
}

/** Everything the planner needs about one agent, from the world as it is now. */
export function planInputFor(w: World, name: string, record: AgentRecord | undefined, observed: ObservedAgent | undefined, vanishedExit: ExitInfo | null): PlanInput {
  const desired = w.specs.agents.get(name);
  const invalidFile = w.specs.invalidNames.get(name);
  // A dependent counts as running until its own record says it was stopped: the shared view
  // may predate that stop.
  const alive = (n: string): boolean => {
    const rec = w.records.get(n);
    if (!rec || rec.handle === null) return false;
    return w.observer.peek(rec.runtime)?.agents.get(n)?.alive === true;
  };
  const pruneBlocked = desired ? undefined : w.pruneBlocked();
  const placedOn = w.specs.elsewhere.get(name);
  return {
    name,
    desired,
    ...(invalidFile ? { specInvalid: { file: invalidFile, message: 'see agentctl validate' } } : {}),
    ...(placedOn ? { placedOn } : {}),
    observed,
    vanishedExit,
    record,
    owner: w.o.owner,
    now: w.now(),
    dependenciesNotReady: (desired?.spec.dependsOn ?? []).filter((d) => w.records.get(d)?.ready !== true),
    dependentsRunning: dependentsRunning(w, name, alive),
    ...(pruneBlocked ? { pruneBlocked } : {}),
  };
}

export async function reconcileAgent(w: World, name: string): Promise<ReconcileResult> {
  const started = w.now();
  const desired = w.specs.agents.get(name);
  const existing = w.records.get(name);
  const liveRuntimeName = existing?.runtime ?? desired?.spec.runtime ?? 'tmux';
  const snap = await w.observer.get(liveRuntimeName, w.lastAction.get(name) ?? 0);
  const observed = snap.agents.get(name);
  const runtime = w.runtime(liveRuntimeName);
  const rec = recordFor(w, name, desired, existing, started);
  const nowIso = (): string => new Date(w.now()).toISOString();
  const event = (type: 'Normal' | 'Warning', reason: string, message: string): void => {
    rec.events = withEvent(rec.events, { time: nowIso(), type, reason, message });
  };

  // Health: probe the running incarnation when a probe is due.
  const h = desired?.spec.healthCheck;
  if (h && observed?.alive && !observed.pending && observed.hash === desired!.hash && rec.handle === observed.handle && rec.startedAt !== null) {
    const health = rec.health?.handle === rec.handle ? rec.health : { handle: rec.handle, consecutiveFailures: 0, passed: false, lastCheckAt: null, lastMessage: '' };
    if (nextProbeAt(h, rec.startedAt, health.lastCheckAt) <= w.now()) {
      const workdir = expandHome(desired!.spec.workdir ?? '~', w.o.home);
      const r = await probe(h, w.o.exec, workdir, desired!.spec.env);
      const failures = r.ok ? 0 : health.consecutiveFailures + 1;
      if (!r.ok) event('Warning', 'Unhealthy', `health check failed (${failures}/${h.failureThreshold}): ${r.message}`);
      else if (!health.passed) event('Normal', 'Healthy', 'health check passed');
      rec.health = { handle: rec.handle, consecutiveFailures: failures, passed: health.passed || r.ok, lastCheckAt: w.now(), lastMessage: r.message };
    } else {
      rec.health = health;
    }
  }

  const vanishedExit = !observed && existing?.handle && existing.lastExit?.handle !== existing.handle ? await runtime.exitOf(name, existing.handle) : null;
  const p = plan(planInputFor(w, name, existing ? rec : undefined, observed, vanishedExit));

  // Nothing of ours and nothing to do: no record either.
  if (!existing && (p.reason === 'NotOwned' || p.reason === 'SpecInvalid')) return { plan: p, settled: true };

  if (p.exit) {
    rec.lastExit = { code: p.exit.code, signal: p.exit.signal, at: p.exit.at, handle: p.exit.handle };
    rec.crashCount = p.exit.crashCount;
    const ok = p.exit.code === 0 && p.exit.signal === null;
    event(ok ? 'Normal' : 'Warning', observed ? (ok ? 'Completed' : 'Exited') : 'Vanished', p.message);
  }
  rec.nextStartAt = p.nextStartAt ?? null;

  let stepError: string | undefined;
  let phase = p.phase;
  let requeueAfterMs = p.requeueAfterMs;
  const log = w.log.child({ agent: name });
  try {
    switch (p.action) {
      case 'create':
      case 'recreate':
      case 'restart': {
        const d = desired!;
        if (observed) await stopIncarnation(w, rec, d, observed, runtime, p.action === 'restart' ? 'restart' : 'recreate');
        const targetRuntime = w.runtime(d.spec.runtime);
        const transition = `${d.hash}:${rec.handle ?? 'none'}:${rec.restarts}`;
        const req = await prepareStart(d, w.o.home).catch((err: Error) => {
          throw new StepError(err.message, { cause: err });
        });
        await runHooks(w, rec, 'preStart', transition, { d, workdir: req.workdir, env: req.env, secrets: req.secrets }, true);
        const outcome = (await targetRuntime.start([req])).get(name);
        if (!outcome || outcome.error) throw new StepError(outcome?.error?.message ?? 'start failed', { cause: outcome?.error });
        const previousHandle = rec.handle;
        rec.runtime = d.spec.runtime;
        rec.handle = outcome.handle ?? null;
        rec.startedAt = w.now();
        rec.specHash = d.hash;
        rec.appliedSpec = sealSpec(JSON.parse(JSON.stringify(d.spec)) as Record<string, unknown>);
        rec.source = d.file;
        rec.health = null;
        rec.failures = 0;
        if (rec.restartRequestedAt !== null) rec.restartRequestedAt = null;
        if (previousHandle !== null || existing?.lastExit) rec.restarts += 1;
        w.lastAction.set(name, w.now());
        const verb = p.action === 'create' ? 'Started' : p.action === 'recreate' ? 'Recreated' : 'Restarted';
        event('Normal', verb, `${verb.toLowerCase()} (${p.reason}: ${p.message})`);
        log.info({ action: p.action, reason: p.reason, handle: rec.handle, durationMs: w.now() - started }, `${verb.toLowerCase()} agent`);
        await runHooks(w, rec, 'postStart', `${rec.handle}`, { d, workdir: req.workdir, env: req.env, secrets: req.secrets }, false);
        phase = 'Pending';
        requeueAfterMs = 0; // look again with a view taken after the start
        break;
      }
      case 'stop': {
        const d = desired!;
        if (observed) await stopIncarnation(w, rec, d, observed, runtime, 'stop');
        rec.handle = null;
        rec.startedAt = null;
        rec.health = null;
        event('Normal', 'Stopped', p.message);
        log.info({ action: 'stop', reason: p.reason, durationMs: w.now() - started }, 'stopped agent');
        requeueAfterMs = 0; // confirm with a view taken after the stop
        break;
      }
      case 'prune': {
        if (observed) await stopIncarnation(w, rec, undefined, observed, runtime, 'prune');
        await w.registry.remove(name);
        w.records.delete(name);
        log.info({ action: 'prune', reason: p.reason, durationMs: w.now() - started }, p.message);
        return { plan: p, settled: true };
      }
      case 'wait':
        if (p.reason === 'BackOff' && p.exit) log.warn({ action: 'wait', reason: p.reason }, p.message);
        break;
      case 'none':
        break;
    }
  } catch (err) {
    stepError = (err as Error).message;
    rec.failures += 1;
    event('Warning', 'StepFailed', `${p.action} failed: ${stepError}`);
    log.warn({ action: p.action, reason: p.reason, error: stepError, failures: rec.failures, durationMs: w.now() - started }, `${p.action} failed`);
  }

  // Status.
  if (desired) {
    rec.desiredState = desired.spec.state;
    rec.source = desired.file; // follows a spec moved to another file
  }
  if (p.reason === 'SpecInvalid') phase = rec.phase;
  const threshold = desired?.spec.healthCheck?.failureThreshold ?? null;
  const ready = isReady(phase, rec, threshold);
  rec.phase = stepError ? (phase === 'Running' ? 'Running' : rec.phase === 'Running' ? 'Unknown' : 'Pending') : phase;
  rec.ready = stepError ? false : ready;
  rec.message = stepError ? `${p.action} failed: ${stepError}` : p.message;
  rec.conditions = conditionsFor({
    plan: p,
    phase: rec.phase,
    ready: rec.ready,
    ...(phase === 'Running' && !ready ? { notReadyMessage: rec.health?.lastMessage ? `health check failing: ${rec.health.lastMessage}` : 'waiting for the first health check to pass' } : {}),
    ...(stepError !== undefined ? { stepError } : {}),
    previous: rec.conditions,
    nowIso: nowIso(),
  });
  if (observed && liveRuntimeName === 'slurm') {
    rec.details = { ...(observed.handle ? { jobId: observed.handle } : {}), ...(observed.node ? { node: observed.node } : {}), ...(observed.state ? { state: observed.state } : {}), ...(observed.reason ? { reason: observed.reason } : {}) };
  }
  await save(w, rec, existing);

  if (stepError !== undefined) throw new StepError(stepError);

  // Timed re-checks: health probes of a running agent.
  if (h && rec.phase === 'Running' && rec.startedAt !== null && requeueAfterMs === undefined) {
    requeueAfterMs = Math.max(0, nextProbeAt(h, rec.startedAt, rec.health?.lastCheckAt ?? null) - w.now());
  }
  // Settled: nothing left to do until something changes (what reconcile --once waits for).
  const settled = (p.action === 'none' && p.reason !== 'Queued' && (rec.phase !== 'Running' || rec.ready)) || (p.action === 'wait' && SETTLED_WAITS.has(p.reason));
  return { plan: p, ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}), settled };
}

/** Stops one incarnation with its preStop/postStop hooks. */
async function stopIncarnation(w: World, rec: AgentRecord, d: DesiredAgent | undefined, o: ObservedAgent, rt: Runtime, why: string): Promise<void> {
  const spec = d?.spec ?? (rec.appliedSpec as DesiredAgent['spec'] | null);
  const grace = spec?.stopGracePeriodSeconds ?? 10;
  const hooksOn = o.alive && spec !== null && spec !== undefined && Object.values(spec.hooks ?? {}).some((h) => h && h.length > 0);
  let ctx: HookTarget | undefined;
  if (hooksOn) {
    // Stop hooks see the same environment as the agent: envFiles too, when they can still be read.
    const fromFiles = d ? await readEnvFiles(d, w.o.home).catch(() => ({}) as Record<string, string>) : {};
    const env = { ...fromFiles, ...(spec!.env ?? {}) };
    const secrets = [...Object.values(fromFiles), ...Object.entries(spec!.env ?? {}).filter(([k]) => isSecretKey(k)).map(([, v]) => v)];
    const target = d ?? ({ name: rec.name, file: rec.source ?? '', hash: rec.specHash ?? '', spec } as DesiredAgent);
    ctx = { d: target, workdir: expandHome(spec!.workdir ?? '~', w.o.home), env, secrets };
  }
  if (ctx) await runHooks(w, rec, 'preStop', `${o.handle}`, ctx, false);
  const outcome = (await rt.stop([{ name: rec.name, observed: o, graceSeconds: grace }])).get(rec.name);
  if (outcome?.error) throw new StepError(`stop (${why}) failed: ${outcome.error.message}`, { cause: outcome.error });
  w.lastAction.set(rec.name, w.now());
  if (ctx) await runHooks(w, rec, 'postStop', `${o.handle}`, ctx, false);
}

async function save(w: World, rec: AgentRecord, existing: AgentRecord | undefined): Promise<void> {
  const strip = (r: AgentRecord): string => JSON.stringify({ ...r, updatedAt: 0 });
  if (existing && strip(existing) === strip(rec)) return;
  rec.updatedAt = w.now();
  w.records.set(rec.name, rec);
  await w.registry.save(rec);
}

export type { HookName };
export { describeExit };
