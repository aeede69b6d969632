// Carries out one start-up step of a running incarnation: prompts answered, commands typed, a timeout acted on.
import type { AgentRecord } from '../../../src/registry/record.js';
import type { ObservedAgent, Runtime } from '../../../src/runtime/types.js';
import type { DesiredAgent } from '../../../src/spec/load.js';
import { scrubSecrets } from '../../../src/spec/secrets.js';
import { nextCrashCount } from '../backoff.js';
import { gateAfter, limitText, waitText } from '../restart-gate.js';
import type { AgentDeps } from '../deps.js';
import { addEvent } from '../events.js';
import type { Plan } from '../plan.js';
import { stopIncarnation } from '../steps.js';
import { hookTargetOf } from './agent-env.js';
import { hooksOf, startupPending } from './needs.js';
import { nextStartupStep, startupSpecOf } from './startup-plan.js';
import { holdsSecret, typeKeys } from './typing.js';

export interface SessionOutcome {
  requeueAfterMs?: number;
  /** Status to record instead of the plan's (the incarnation was ended). */
  plan?: Plan;
}

/** Mutates `rec`; `saved` writes it before a startup command is typed (so it is typed at most once). */
export async function startupStep(
  d: AgentDeps,
  rec: AgentRecord,
  desired: DesiredAgent,
  o: ObservedAgent,
  rt: Runtime,
  saved: () => Promise<void>,
): Promise<SessionOutcome> {
  // Its start-up failed, yet it is still here (the stop failed last time): end it again.
  if (rec.startup?.handle === rec.handle && rec.startup.outcome === 'Failed')
    return failIncarnation(d, rec, desired, o, rt, 'start-up timed out');
  if (!startupPending(rec)) return {};
  const st = rec.startup!;
  const now = d.now();
  const spec = startupSpecOf(desired.spec);
  if (!spec) {
    rec.startup = { ...st, stage: 'done', outcome: 'Ready' }; // the spec no longer asks for it
    return {};
  }
  // A Slurm batch job (neither interactive nor in an allocation) has no terminal, whatever its runtime offers.
  if (!rt.capture || !rt.sendKeys || !rt.capabilities.hasTerminal(desired.spec)) {
    rec.startup = { ...st, stage: 'done', outcome: 'Proceeded' };
    addEvent(
      rec,
      now,
      'Warning',
      'StartupUnsupported',
      `the ${rt.name} runtime has no terminal to read or type into: startup and autoAccept skipped`,
    );
    return {};
  }
  // Once this incarnation's session has started, its screen is a conversation: never typed into.
  const started = hooksOf(rec) !== null && d.sessions?.activity(rec.name)?.sessionStarted === true;
  // The custom-API-key dialog is accepted only for the agent's own key (env or envFiles).
  const apiKey = st.stage === 'accepting' ? (await hookTargetOf(d, desired)).env.ANTHROPIC_API_KEY : undefined;
  const step = nextStartupStep(spec, st, d.sessions?.pane(rec.name), now, started, { apiKey });
  rec.startup = step.state;
  const target =
    step.events.some((e) => e.reason === 'StartupTimeout') || step.command !== undefined
      ? await hookTargetOf(d, desired)
      : undefined;
  for (const e of step.events)
    addEvent(rec, now, e.type, e.reason, target ? scrubSecrets(e.message, target.secrets) : e.message);

  if (step.keys) {
    const text = step.keys.map((k) => ('literal' in k ? k.literal : '')).join('');
    if (step.command !== undefined && holdsSecret(text, target!.secrets)) {
      addEvent(
        rec,
        now,
        'Warning',
        'CommandRefused',
        `startup command ${step.command + 1} holds a secret value of the agent's environment: not typed`,
      );
    } else {
      try {
        if (step.command !== undefined) await saved();
        await typeKeys(rt, rec.name, step.keys);
        if (step.command !== undefined)
          addEvent(
            rec,
            d.now(),
            'Normal',
            'CommandTyped',
            `typed startup command ${step.command + 1}/${spec.commands.length}: ${short(text)}`,
          );
      } catch (err) {
        addEvent(rec, d.now(), 'Warning', 'KeysFailed', `cannot type into the terminal: ${(err as Error).message}`);
      }
    }
  }
  if (step.failed) return failIncarnation(d, rec, desired, o, rt, step.failed);
  return step.wakeAt !== undefined ? { requeueAfterMs: Math.max(0, step.wakeAt - d.now()) } : {};
}

/** onTimeout: Fail — ends the incarnation as a failed run, so restartPolicy and its backoff decide what follows. */
async function failIncarnation(
  d: AgentDeps,
  rec: AgentRecord,
  desired: DesiredAgent,
  o: ObservedAgent,
  rt: Runtime,
  why: string,
): Promise<SessionOutcome> {
  await stopIncarnation(d, rec, desired, o, rt, 'startup timeout');
  const at = d.now();
  const spec = desired.spec;
  // The same gate as any other restart: one start per backoff delay, none past maxRetries.
  const gate = gateAfter(nextCrashCount(rec.crashCount, rec.startedAt, at, spec.backoff), at, spec.backoff);
  rec.crashCount = gate.crashCount;
  rec.lastExit = { code: null, signal: null, at, handle: rec.handle };
  const again = spec.restartPolicy !== 'Never';
  if (again && gate.overLimit) {
    rec.nextStartAt = null;
    const message = `${why}; ${limitText(gate, spec.backoff)}`;
    addEvent(rec, at, 'Warning', 'RetryLimit', message);
    return { plan: { action: 'wait', reason: 'RetryLimit', message, phase: 'Failed' }, requeueAfterMs: 0 };
  }
  rec.nextStartAt = again ? gate.dueAt : null;
  const message = `${why}; ${again ? waitText(gate, at) : 'restartPolicy Never'}`;
  return {
    plan: { action: 'wait', reason: 'StartupTimeout', message, phase: again ? 'CrashLoopBackOff' : 'Failed' },
    requeueAfterMs: 0,
  };
}

const short = (text: string): string => (text.length > 120 ? `${text.slice(0, 117)}...` : text);
