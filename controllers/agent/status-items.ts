// What `get` and `describe` show for each agent: its record, or its spec when never reconciled (pure).
import type { AgentRecord, Condition } from '../../src/registry/record.js';
import type { ClaudeRecord } from '../../src/registry/session-record.js';
import type { SpecSet } from '../../src/spec/load.js';
import type { AgentSpec } from '../../src/spec/schema.js';
import { describeExit } from './plan.js';
import { invalidSpecOf } from './invalid-specs.js';

export interface StatusItem {
  name: string;
  runtime: string;
  desiredState: string;
  phase: string;
  ready: boolean;
  restarts: number;
  specHash: string | null;
  source: string | null;
  handle: string | null;
  conditions: Condition[];
  message: string;
  /** Extensions beyond the contract's fields. */
  upToDate: boolean;
  lastExit: string | null;
  startedAt: string | null;
  host: string;
  details: Record<string, string>;
  /** Claude agents only (DESIGN §9.2): from its transcript, else its pane; null where unknown. */
  claude?: ClaudeItem;
  /** Declared in the spec (DESIGN §2): shown, never acted on. */
  listen: AgentSpec['listen'];
  extensions: Record<string, unknown>;
}

export interface ClaudeItem {
  model: string | null;
  sessionId: string | null;
  contextPercent: number | null;
  lastActivity: string | null;
  /** What the session does, from Claude Code's hooks (DESIGN §10.2); Unknown without them. */
  activity: ClaudeRecord['activity'];
  waitingFor: ClaudeRecord['waitingFor'];
  /** What Claude Code said when it began to wait. */
  waitingMessage: string | null;
  /** ISO time of the change to this activity. */
  activitySince: string | null;
  costUsd: number | null;
  transcriptPath: string | null;
}

/** An incarnation that is not running does nothing, whatever its hooks last said. */
function activityOf(r: AgentRecord | undefined): Pick<ClaudeItem, 'activity' | 'waitingFor' | 'waitingMessage'> {
  const c = r?.claude;
  if (!c) return { activity: 'Unknown', waitingFor: null, waitingMessage: null };
  const running = r.phase === 'Running' || r.phase === 'Suspended';
  if (!running || r.handle === null)
    return { activity: c.hooks ? 'Exited' : 'Unknown', waitingFor: null, waitingMessage: null };
  return { activity: c.activity, waitingFor: c.waitingFor, waitingMessage: c.waitingMessage };
}

function claudeItem(spec: Partial<AgentSpec> | undefined, r: AgentRecord | undefined): ClaudeItem | undefined {
  if (!spec?.claude && !r?.claude) return undefined;
  const c = r?.claude;
  return {
    model: c?.model ?? spec?.claude?.model ?? null,
    sessionId: c?.sessionId ?? null,
    contextPercent: c?.contextPercent ?? null,
    lastActivity: c?.lastActivity ?? null,
    ...activityOf(r),
    activitySince: typeof c?.activitySince === 'number' ? new Date(c.activitySince).toISOString() : null,
    costUsd: c?.costUsd ?? null,
    transcriptPath: c?.transcriptPath ?? null,
  };
}

export function statusItems(specs: SpecSet, records: ReadonlyMap<string, AgentRecord>, host: string): StatusItem[] {
  const names = new Set([...specs.agents.keys(), ...records.keys(), ...specs.invalidNames.keys()]);
  return [...names].sort().map((name) => {
    const d = specs.agents.get(name);
    const r = records.get(name);
    const bad = invalidSpecOf(specs, name, r);
    const invalid = bad?.file;
    const conditions = [...(r?.conditions ?? [])];
    if (invalid && !conditions.some((c) => c.type === 'SpecInvalid' && c.status === 'True')) {
      const rest = conditions.filter((c) => c.type !== 'SpecInvalid');
      conditions.splice(0, conditions.length, ...rest, {
        type: 'SpecInvalid',
        status: 'True',
        reason: 'SpecInvalid',
        message: `spec file ${invalid} is invalid; keeping the last applied state (${bad.message})`,
        lastTransitionTime: new Date().toISOString(),
      });
    }
    // The spec as desired, else as last applied (an agent whose spec is gone still shows its own).
    const spec = (d?.spec ?? r?.appliedSpec ?? undefined) as Partial<AgentSpec> | undefined;
    const claude = claudeItem(spec, r);
    // An unreadable spec is not a deleted one: the last good spec stays what is desired.
    const desiredState =
      d?.spec.state ??
      (r && invalid ? r.desiredState : undefined) ??
      (r ? (specs.elsewhere.has(name) ? `Elsewhere(${specs.elsewhere.get(name)})` : 'Absent') : 'Unknown');
    return {
      name,
      runtime: d?.spec.runtime ?? r?.runtime ?? 'tmux',
      desiredState: r?.suspended ? 'Suspended' : desiredState,
      phase: r?.phase ?? (invalid ? 'Unknown' : 'Pending'),
      ready: r?.ready ?? false,
      restarts: r?.restarts ?? 0,
      specHash: r?.specHash ?? null,
      source: r?.source ?? d?.file ?? invalid ?? null,
      handle: r?.handle ?? null,
      conditions,
      message: bad ? `spec file ${invalid} is invalid: ${bad.message}` : (r?.message ?? 'not reconciled yet'),
      upToDate: d !== undefined && r?.specHash === d.hash,
      lastExit: r?.lastExit ? `${describeExit(r.lastExit)} at ${new Date(r.lastExit.at).toISOString()}` : null,
      startedAt: r?.startedAt ? new Date(r.startedAt).toISOString() : null,
      // Where its incarnation is (the record follows the runtime), not where the spec would like it.
      host: r ? (r.host ?? (d ? (d.spec.host ?? host) : host)) : (d?.spec.host ?? host),
      details: r?.details ?? {},
      ...(claude ? { claude } : {}),
      listen: spec?.listen ?? [],
      extensions: spec?.extensions ?? {},
    };
  });
}
