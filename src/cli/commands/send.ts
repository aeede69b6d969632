// agentctl send: types TEXT literally then Enter, or named keys, into running agents' terminals; refuses whatever could do harm.
import { effectiveSlurm } from '../../runtime/slurm/script.js';
import { typeKeysMany } from '../../../controllers/agent/session/typing.js';
import { readEnvFiles } from '../../workspace/prepare.js';
import { secretValues } from '../../spec/secrets.js';
import type { DesiredAgent } from '../../spec/load.js';
import type { AgentRecord } from '../../registry/record.js';
import type { KeyStep } from '../../claude/keys.js';
import { agentRuntimesOf, type AgentRuntime } from '../agent-runtime.js';
import { createContext, type Context, type GlobalOptions } from '../context.js';
import { ExitError } from '../exit.js';
import { planSend, refuseForAgent, typedMessage, type SendPlan } from '../send-plan.js';
import { selectAgents } from '../select-agents.js';
import { CONFIRM_MS, followerOf, pollAll, typeWhenReady, type WaitTarget } from '../send-wait.js';
import { typeVerdict } from '../../claude/activity/submit.js';
import { parseFlagDuration } from '../../util/duration.js';
import { loadStatus } from '../status-load.js';

export interface SendOptions {
  key?: string[];
  selector?: string;
  whenIdle?: boolean;
  timeout?: string;
}

/** How long --when-idle waits by default (DESIGN §10.3). */
const DEFAULT_IDLE_TIMEOUT = '10m';

/** Talks to the runtime directly: works the same whether or not a controller runs. Every agent is
 * checked before anything is typed: one refusal and nothing is typed anywhere. */
export async function send(
  g: GlobalOptions,
  first: string | undefined,
  rest: string[],
  opts: SendOptions,
): Promise<void> {
  const words = opts.selector !== undefined ? [first, ...rest].filter((w) => w !== undefined) : rest;
  if (opts.selector === undefined && first === undefined)
    throw new ExitError(2, 'send: name the agent or select agents with -l');
  const plan = planSend({ words, keys: opts.key ?? [] });
  if (opts.timeout !== undefined && !opts.whenIdle && plan.kind === 'keys')
    throw new ExitError(2, 'send: --timeout is for --when-idle or TEXT');
  let timeoutMs: number | undefined;
  try {
    if (opts.timeout !== undefined || opts.whenIdle)
      timeoutMs = parseFlagDuration(opts.timeout ?? DEFAULT_IDLE_TIMEOUT);
  } catch (err) {
    throw new ExitError(2, `send: --timeout: ${(err as Error).message}`);
  }
  const ctx = createContext(g);
  const { specs, records } = await loadStatus(ctx);
  const sel = selectAgents(specs, records, {
    names: first && opts.selector === undefined ? [first] : [],
    selector: opts.selector,
  });
  if (sel.unknown.length > 0) throw new ExitError(1, `unknown agent: ${sel.unknown.join(', ')}`);
  if (sel.names.length === 0) throw new ExitError(1, `send: no agent matches -l ${opts.selector ?? ''}`);
  const found = await agentRuntimesOf(ctx, sel.names);
  try {
    const targets = new Map<string, { at: AgentRuntime; steps: KeyStep[] }>();
    for (const name of sel.names) {
      const at = found.byName.get(name)!;
      await checkAgent(ctx, at, name, plan, specs.agents.get(name), records.get(name));
      targets.set(name, { at, steps: plan.steps });
    }
    const lines = await typeWatched(targets, plan, records, { whenIdle: opts.whenIdle === true, timeoutMs });
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await found.close();
  }
}

type Targets = Map<string, { at: AgentRuntime; steps: KeyStep[] }>;

/**
 * Agents followed through their hooks are typed into when they may be (Idle with --when-idle;
 * never while a dialog waits) and their prompt confirmed; the others are typed into at once, as
 * before. Every refusal known before typing stops the send with nothing typed anywhere.
 */
async function typeWatched(
  targets: Targets,
  plan: SendPlan,
  records: ReadonlyMap<string, AgentRecord>,
  o: { whenIdle: boolean; timeoutMs: number | undefined },
): Promise<string[]> {
  const followed: WaitTarget[] = [];
  for (const name of targets.keys()) {
    const follower = followerOf(records.get(name));
    if (follower) followed.push({ name, follower });
  }
  await pollAll(followed.map((f) => f.follower));
  // A follower that heard no hook (a stand-in Claude, an older binary) tells nothing: a plain
  // send types as before; --when-idle waits for the first hooks or its timeout.
  const watched = followed.filter((f) => o.whenIdle || f.follower.state.sessionStarted);
  const plain = [...targets.keys()].filter((n) => !watched.some((w) => w.name === n));
  if (o.whenIdle && plain.length > 0)
    throw new ExitError(
      1,
      `${plain.join(', ')}: no activity from Claude Code hooks here (not a claude agent, or on a Host): ` +
        '--when-idle cannot tell when it is idle; nothing was typed',
    );
  if (plan.kind === 'text') {
    const refusals = watched.flatMap(({ name, follower }) => {
      const v = typeVerdict(follower.state, o.whenIdle);
      return v.kind === 'refuse' ? [`refusing to type into ${name}: ${v.why}; nothing was typed`] : [];
    });
    if (refusals.length > 0) throw new ExitError(1, refusals.join('\n'));
  }
  const lines: string[] = [];
  if (plain.length > 0) {
    await typeAll(new Map(plain.map((n) => [n, targets.get(n)!])));
    lines.push(typedMessage(plan, plain));
  }
  if (watched.length === 0) return lines;
  const start = Date.now();
  const outcomes = await typeWhenReady(watched, {
    whenIdle: o.whenIdle,
    // A slash command (/compact, /clear) is run by Claude Code itself, with no UserPromptSubmit:
    // it is typed as before, unconfirmed.
    text: plan.kind === 'text' && !plan.text.trimStart().startsWith('/') ? plan.text : undefined,
    deadline: start + (o.timeoutMs ?? 0),
    confirmMs: o.whenIdle ? CONFIRM_MS : (o.timeoutMs ?? CONFIRM_MS),
    type: async (names) => {
      const failed = await typeAll(new Map(names.map((n) => [n, targets.get(n)!])), false);
      return new Map([...failed].map(([n, e]) => [n, e.message]));
    },
  });
  const failures: string[] = [];
  for (const [name, r] of outcomes) {
    if (!r.ok) failures.push(`${name}: ${r.why}`);
    else if (r.confirmed) lines.push(`${typedMessage(plan, [name])}; Claude Code took the prompt`);
    else lines.push(typedMessage(plan, [name]));
  }
  if (failures.length > 0) {
    if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n');
    throw new ExitError(1, failures.join('\n'));
  }
  return lines;
}

/** Throws ExitError(1) naming why this agent cannot be typed into. */
async function checkAgent(
  ctx: Context,
  { key, rt }: AgentRuntime,
  name: string,
  plan: SendPlan,
  desired: DesiredAgent | undefined,
  rec: AgentRecord | undefined,
): Promise<void> {
  // A Slurm job has a terminal only when it is interactive or runs inside an allocation.
  const slurm = desired ? effectiveSlurm(desired.spec) : undefined;
  const batch = desired?.spec.runtime === 'slurm' && slurm?.interactive !== true && slurm?.allocation === undefined;
  if (!rt.sendKeys || batch)
    throw new ExitError(1, `${name} runs as a ${key} batch job: it has no terminal to type into`);
  if (desired?.spec.state === 'Stopped' || rec?.phase === 'Stopped' || rec?.suspendStop)
    throw new ExitError(1, `${name} is Stopped: there is no terminal to type into`);
  // What an agent keeps secret (envFiles values, *TOKEN*/*KEY*... env values) is never typed
  // where its screen, its scrollback and `agentctl logs` would show it.
  if (desired) {
    const fromFiles = await readEnvFiles(desired, ctx.home).catch(() => ({}));
    const why = refuseForAgent(plan, secretValues(desired.spec.env, fromFiles));
    if (why) throw new ExitError(1, `refusing to type into ${name}: ${why}`);
  }
  let observed;
  try {
    observed = await rt.observe();
  } catch (err) {
    throw new ExitError(1, `cannot reach ${name} (${key}): ${(err as Error).message}; nothing was typed`);
  }
  const o = observed.agents.get(name);
  const ours = o !== undefined && (o.owner === ctx.owner || (rec?.handle ?? null) === o.handle);
  if (!o || !ours) throw new ExitError(1, `${name} is not running: there is no terminal to type into`);
  if (!o.alive) throw new ExitError(1, `${name} has exited: there is no terminal to type into`);
}

/** One batch per runtime (one tmux client per step for all of its agents). Throws when one
 * failed, unless `raise` is false: then resolves with the failures. */
async function typeAll(targets: Targets, raise = true): Promise<Map<string, Error>> {
  const byRuntime = new Map<AgentRuntime['rt'], Map<string, KeyStep[]>>();
  for (const [name, { at, steps }] of targets) {
    const m = byRuntime.get(at.rt) ?? new Map<string, KeyStep[]>();
    m.set(name, steps);
    byRuntime.set(at.rt, m);
  }
  const failed = new Map<string, Error>();
  await Promise.all(
    [...byRuntime].map(async ([rt, batch]) => {
      for (const [n, e] of await typeKeysMany(rt, batch)) failed.set(n, e);
    }),
  );
  if (raise && failed.size > 0)
    throw new ExitError(1, [...failed].map(([n, e]) => `cannot type into ${n}: ${e.message}`).join('\n'));
  return failed;
}
