// Runs an agent's lifecycle hooks once per transition and turns their outcomes into events.
import type { DesiredAgent } from '../../src/spec/load.js';
import { withEvent, type AgentEvent, type AgentRecord } from '../../src/registry/record.js';
import type { HookOutcome } from '../../src/hooks/types.js';
import type { HookName } from '../../src/spec/schema.js';
import type { AgentDeps } from './deps.js';

export interface HookTarget {
  d: DesiredAgent;
  workdir: string;
  env: Record<string, string>;
  secrets: string[];
}

const MAX_HOOK_RUNS = 20;

/** Runs `hook` for the transition `key` unless it already ran successfully for it. A failure of a
 * blocking hook (preStart) throws, so the step is retried with backoff; others become events. */
export async function runHooks(
  deps: AgentDeps,
  rec: AgentRecord,
  hook: HookName,
  key: string,
  t: HookTarget,
  blocking: boolean,
): Promise<void> {
  const entries = t.d.spec.hooks?.[hook] ?? [];
  if (entries.length === 0 || !deps.hooks) return;
  const runKey = `${hook}:${key}`;
  if (rec.hookRuns.some((r) => r.key === runKey && r.ok)) return;
  const outcomes = await deps.hooks.run({
    name: rec.name,
    hook,
    spec: t.d.spec,
    specFile: t.d.file,
    specHash: t.d.hash,
    workdir: t.workdir,
    env: t.env,
    secrets: t.secrets,
    // A URL entry's real result arrives after this step: an event of its own when it does.
    onSettled: (o) => deps.records.addLateEvent(rec.name, hookEvent(hook, o, deps.now())),
  });
  const ok = outcomes.every((o) => o.ok);
  for (const o of outcomes) rec.events = withEvent(rec.events, hookEvent(hook, o, deps.now()));
  rec.hookRuns = [...rec.hookRuns.filter((r) => r.key !== runKey), { key: runKey, at: deps.now(), ok }].slice(
    -MAX_HOOK_RUNS,
  );
  if (!ok && blocking) {
    const failed = outcomes.find((o) => !o.ok)!;
    throw new Error(
      `${hook} hook failed: ${failed.entry}: ${failed.error ?? (failed.timedOut ? 'timed out' : `exit code ${failed.exitCode}`)}`,
    );
  }
}

/** HookSucceeded or HookFailed with what happened; HookSent for a URL entry still on its way. */
export function hookEvent(hook: HookName, o: HookOutcome, now: number): Omit<AgentEvent, 'count'> {
  const time = new Date(now).toISOString();
  if (o.background)
    return { time, type: 'Normal', reason: 'HookSent', message: `${hook} ${o.entry}: sent in background` };
  const detail = `${o.entry}: ${o.ok ? 'ok' : (o.error ?? (o.timedOut ? 'timed out' : `exit code ${o.exitCode}`))} in ${o.durationMs}ms${o.outputTail ? `; output: ${o.outputTail}` : ''}`;
  return {
    time,
    type: o.ok ? 'Normal' : 'Warning',
    reason: o.ok ? 'HookSucceeded' : 'HookFailed',
    message: `${hook} ${detail}`,
  };
}
