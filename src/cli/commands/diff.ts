// agentctl diff: what reconcile would do for each agent, field changes as JSON merge patches.
import mergePatch from 'json-merge-patch';
import { planAgent, type ViewOf } from '../../../controllers/agent/plan-agent.js';
import { load, observe, settled } from '../../../controllers/agent/pipeline.js';
import { allNames } from '../../../controllers/agent/inventory.js';
import { hostOfKey } from '../../../controllers/agent/placement.js';
import { unavailablePlan } from '../../../controllers/agent/hosts/host-condition.js';
import type { AgentDeps } from '../../../controllers/agent/deps.js';
import type { Action } from '../../../controllers/agent/plan.js';
import type { Observation } from '../../runtime/types.js';
import { redactSpec, sealSpec } from '../../spec/secrets.js';
import { createContext, type GlobalOptions } from '../context.js';
import { agentDeps } from '../agent-deps.js';
import { printSpecErrors } from '../once-report.js';
import { resolveArgv } from '../../workspace/prepare.js';
import { shellQuote } from '../quote.js';
import { ExitError } from '../exit.js';
import { stdoutPaint } from '../tty/colour.js';

export interface DiffAction {
  agent: string;
  action: Action;
  reason: string;
  message: string;
  patch: unknown;
  /** The command line a create/recreate/restart would run (claude presets resolved). */
  command?: string[];
}

/** The merge patch from the applied spec to the desired one, with secret env values hidden. */
export function specPatch(applied: Record<string, unknown> | null, desired: Record<string, unknown> | null): unknown {
  if (desired === null) return null;
  if (applied === null) return redactSpec(desired);
  // The registry keeps secret env values sealed: compare sealed with sealed.
  const patch = mergePatch.generate(applied, sealSpec(desired));
  return patch === undefined ? {} : redactSpec(patch);
}

/** What reconcile would do for one agent: the same plan (planAgent) the next reconcile acts on;
 * none for an agent that is not ours. */
export async function diffAction(
  d: AgentDeps,
  home: string,
  name: string,
  viewOf: ViewOf,
): Promise<DiffAction | undefined> {
  const a = await planAgent(d, name, viewOf);
  if (a.kind === 'unavailable') {
    const p = a.missing
      ? { action: 'wait' as const, reason: 'RuntimeUnavailable', message: a.error.message }
      : unavailablePlan(a.key, a.error);
    return { agent: name, action: p.action, reason: p.reason, message: p.message, patch: null };
  }
  const { plan: p, desired, existing: rec } = a;
  if (p.reason === 'NotOwned') return undefined;
  const desiredSpec = desired ? (JSON.parse(JSON.stringify(desired.spec)) as Record<string, unknown>) : null;
  const patch =
    p.action === 'none' || p.action === 'wait'
      ? desired && rec?.appliedSpec
        ? specPatch(rec.appliedSpec, desiredSpec)
        : null
      : specPatch(p.action === 'create' ? null : (rec?.appliedSpec ?? null), desiredSpec);
  const starts = p.action === 'create' || p.action === 'recreate' || p.action === 'restart';
  return {
    agent: name,
    action: p.action,
    reason: p.reason,
    message: p.message,
    patch,
    ...(starts && desired ? { command: await resolveArgv(desired, home) } : {}),
  };
}

export async function diff(g: GlobalOptions, opts: Record<string, unknown>): Promise<void> {
  const ctx = createContext(g);
  const d = agentDeps(ctx, { allowMassPrune: opts.allowMassPrune === true, sharedState: true });
  try {
    await diffWith(d, ctx.home, opts);
  } finally {
    await d.hosts?.close();
  }
}

async function diffWith(d: AgentDeps, home: string, opts: Record<string, unknown>): Promise<void> {
  await load(d);
  const specs = d.desired.specs;
  printSpecErrors(specs.errors);
  const views = await settled(await observe(d));
  for (const [key, v] of views) {
    // A Host that does not answer: its agents are shown as waiting on it, the rest as usual.
    if (v instanceof Error && hostOfKey(key) === undefined)
      throw new ExitError(2, `cannot observe ${key}: ${v.message}`);
  }
  const viewOf = (key: string): Promise<Observation> => {
    const v = views.get(key);
    return v instanceof Error ? Promise.reject(v) : v ? Promise.resolve(v) : d.views.forAgent(key, '');
  };
  const actions: DiffAction[] = [];
  for (const name of [...allNames(d)].sort()) {
    const a = await diffAction(d, home, name, viewOf);
    if (a) actions.push(a);
  }
  const pending = actions.filter((a) => a.action !== 'none');
  if (opts.output === 'json') {
    process.stdout.write(
      `${JSON.stringify({ actions: actions.map(({ agent, action, reason, patch, message, command }) => ({ agent, action, reason, patch, message, ...(command ? { command } : {}) })) }, null, 2)}\n`,
    );
  } else {
    const width = Math.max(8, ...pending.map((a) => a.agent.length));
    const p = stdoutPaint();
    for (const a of pending) {
      process.stdout.write(
        `${p.action(a.action)}${' '.repeat(Math.max(1, 10 - a.action.length))}${p.style('bold', a.agent)}${' '.repeat(width - a.agent.length)}  ${a.reason}${a.message ? `: ${a.message}` : ''}\n`,
      );
      if (a.patch !== null && a.action !== 'create' && JSON.stringify(a.patch) !== '{}')
        process.stdout.write(`${' '.repeat(10)}${p.style('gray', JSON.stringify(a.patch))}\n`);
      if (a.command) process.stdout.write(`${' '.repeat(10)}${p.style('gray', `command: ${shellQuote(a.command)}`)}\n`);
    }
    process.stdout.write(
      `${pending.length} change(s) pending, ${actions.length - pending.length} in sync${specs.errors.length ? `, ${specs.errors.length} spec error(s)` : ''}\n`,
    );
  }
  if (specs.errors.length > 0) throw new ExitError(2);
  if (pending.length > 0) throw new ExitError(1);
}
