// The effectful steps of a reconcile: start an incarnation, stop one (each with its hooks).
import type { DesiredAgent } from '../../src/spec/load.js';
import type { AgentRecord } from '../../src/registry/record.js';
import type { ObservedAgent, Runtime } from '../../src/runtime/types.js';
import { prepareStart, readEnvFiles } from '../../src/workspace/prepare.js';
import { expandHome } from '../../src/util/paths.js';
import { isSecretKey, sealSpec } from '../../src/spec/secrets.js';
import type { AgentDeps } from './deps.js';
import { runHooks, type HookTarget } from './hook-steps.js';
import { targetKeyOf } from './placement.js';
import { prepareActivityLayer } from './session/activity-layer.js';
import { newIncarnation } from './session/claude-status.js';
import { addEvent } from './events.js';

export class StepError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StepError';
  }
}

/** Prepares the workspace, runs preStart (blocking), starts, records the new incarnation in
 * `rec`, then runs postStart. Throws StepError when the start cannot happen. `reason` says why:
 * only a start after an exit or a restart request counts as a restart (a spec roll does not). */
export async function startIncarnation(
  deps: AgentDeps,
  rec: AgentRecord,
  d: DesiredAgent,
  countsAsRestart: boolean,
): Promise<void> {
  const transition = `${d.hash}:${rec.handle ?? 'none'}:${rec.restarts}`;
  const key = targetKeyOf(d);
  // An agent on a Host: its workdir and files are made there, `~` is that login's home.
  const machine =
    d.remoteHost === undefined
      ? undefined
      : await (deps.hosts?.machine(d.remoteHost) ??
          Promise.reject(new StepError(`Host ${d.remoteHost} is not driven from here`)));
  // Before the worktree is made: a prune must find it even if setup never passes.
  const ws = d.spec.workspace;
  if (ws) rec.workspace = { workdir: d.spec.workdir ?? `~/agents/${d.name}`, git: ws.git };
  const warn = (message: string) => addEvent(rec, deps.now(), 'Warning', 'WorkdirFileKept', message);
  const req = await prepareStart(d, deps.identity.home, machine, warn).catch((err: Error) => {
    throw new StepError(err.message, { cause: err });
  });
  const target: HookTarget = { d, workdir: req.workdir, env: req.env, secrets: req.secrets };
  const hooks = await prepareActivityLayer(deps, d, req, machine);
  await runHooks(deps, rec, 'preStart', transition, target, true);
  const outcome = (await deps.runtimes.get(key).start([req])).get(d.name);
  if (!outcome || outcome.error)
    throw new StepError(outcome?.error?.message ?? 'start failed', { cause: outcome?.error });
  rec.runtime = d.spec.runtime;
  if (d.remoteHost !== undefined) rec.host = d.remoteHost;
  else delete rec.host;
  rec.handle = outcome.handle ?? null;
  rec.startedAt = deps.now();
  rec.specHash = d.hash;
  rec.appliedSpec = sealSpec(JSON.parse(JSON.stringify(d.spec)) as Record<string, unknown>);
  rec.source = d.file;
  rec.health = null;
  rec.failures = 0;
  rec.restartRequestedAt = null;
  if (countsAsRestart) rec.restarts += 1;
  rec.claude = d.spec.claude ? newIncarnation(rec.claude, hooks ? { ...hooks, handle: rec.handle } : null) : null;
  deps.views.needFresh(d.name);
  await runHooks(deps, rec, 'postStart', `${rec.handle}`, target, false);
}

/** Queues the successor of the running incarnation `o` (walltime rollover): the record keeps
 * pointing at `o`, which stays the agent's until it ends and the successor is adopted. */
export async function startSuccessor(deps: AgentDeps, d: DesiredAgent, o: ObservedAgent): Promise<string | undefined> {
  const req = await prepareStart(d, deps.identity.home).catch((err: Error) => {
    throw new StepError(err.message, { cause: err });
  });
  const outcome = (await deps.runtimes.get(targetKeyOf(d)).start([{ ...req, successorOf: o.handle }])).get(d.name);
  if (!outcome || outcome.error)
    throw new StepError(outcome?.error?.message ?? 'submitting the successor failed', { cause: outcome?.error });
  deps.views.needFresh(d.name);
  return outcome.handle;
}

/** Stops one incarnation with its preStop/postStop hooks; `d` is absent for a prune. A handover
 * keeps the successor that takes over. */
export async function stopIncarnation(
  deps: AgentDeps,
  rec: AgentRecord,
  d: DesiredAgent | undefined,
  o: ObservedAgent,
  rt: Runtime,
  why: string,
  handover = false,
): Promise<void> {
  const spec = d?.spec ?? (rec.appliedSpec as DesiredAgent['spec'] | null);
  const grace = spec?.stopGracePeriodSeconds ?? 10;
  const hooksOn =
    o.alive && spec !== null && spec !== undefined && Object.values(spec.hooks ?? {}).some((h) => h && h.length > 0);
  let ctx: HookTarget | undefined;
  if (hooksOn) {
    // Stop hooks see the same environment as the agent: envFiles too, when they can still be read.
    const fromFiles: Record<string, string> = d ? await readEnvFiles(d, deps.identity.home).catch(() => ({})) : {};
    const env = { ...fromFiles, ...(spec.env ?? {}) };
    const secrets = [
      ...Object.values(fromFiles),
      ...Object.entries(spec.env ?? {})
        .filter(([k]) => isSecretKey(k))
        .map(([, v]) => v),
    ];
    const target = d ?? ({ name: rec.name, file: rec.source ?? '', hash: rec.specHash ?? '', spec } as DesiredAgent);
    ctx = { d: target, workdir: expandHome(spec.workdir ?? '~', deps.identity.home), env, secrets };
  }
  if (ctx) await runHooks(deps, rec, 'preStop', `${o.handle}`, ctx, false);
  const outcome = (
    await rt.stop([{ name: rec.name, observed: o, graceSeconds: grace, ...(handover ? { keepSuccessor: true } : {}) }])
  ).get(rec.name);
  if (outcome?.error) throw new StepError(`stop (${why}) failed: ${outcome.error.message}`, { cause: outcome.error });
  deps.views.needFresh(rec.name);
  if (ctx) await runHooks(deps, rec, 'postStop', `${o.handle}`, ctx, false);
}
