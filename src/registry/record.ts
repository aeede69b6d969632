// The registry record: agentctl's own account of one agent it manages (zod schema and types).
import { z } from 'zod';
import { ClaudeRecord, StartupRecord } from './session-record.js';
import { AttentionRecord } from './attention-record.js';
import { WorkspaceRecord } from './workspace-record.js';

export const Phase = z.enum([
  'Pending',
  'Running',
  'Stopped',
  'Succeeded',
  'Failed',
  'CrashLoopBackOff',
  'Suspended',
  'Unknown',
]);
export type Phase = z.infer<typeof Phase>;

export const ConditionType = z.enum(['Ready', 'Progressing', 'Degraded', 'SpecInvalid', 'Stalled', 'HostReady']);
export type ConditionType = z.infer<typeof ConditionType>;

export const Condition = z.object({
  type: ConditionType,
  status: z.enum(['True', 'False', 'Unknown']),
  /** One CamelCase word. */
  reason: z.string(),
  message: z.string(),
  lastTransitionTime: z.string(),
});
export type Condition = z.infer<typeof Condition>;

export const AgentEvent = z.object({
  time: z.string(),
  type: z.enum(['Normal', 'Warning']),
  reason: z.string(),
  message: z.string(),
  /** How many times in a row this same event happened (kubectl's "x3"). */
  count: z.number().int().positive().default(1),
});
export type AgentEvent = z.infer<typeof AgentEvent>;

export const RecordedExit = z.object({
  code: z.number().int().nullable(),
  signal: z.string().nullable(),
  /** Epoch milliseconds. */
  at: z.number(),
  /** The incarnation that exited. */
  handle: z.string().nullable(),
});
export type RecordedExit = z.infer<typeof RecordedExit>;

export const HealthState = z.object({
  handle: z.string().nullable(),
  consecutiveFailures: z.number().int().nonnegative(),
  /** The current incarnation has passed a check at least once. */
  passed: z.boolean(),
  lastCheckAt: z.number().nullable(),
  lastMessage: z.string(),
});
export type HealthState = z.infer<typeof HealthState>;

export const HookRun = z.object({
  /** `<hook>:<handle or hash>`: the transition a hook run belongs to, so it runs once per transition. */
  key: z.string(),
  at: z.number(),
  ok: z.boolean(),
});

/** An incarnation left on a Host that did not answer when the agent moved away (DESIGN §10.4):
 * stopped the first time that host answers again, before anything else is done there; never adopted. */
export const FencedCopy = z.object({
  runtime: z.enum(['tmux', 'slurm']),
  host: z.string().optional(),
  handle: z.string().nullable(),
  /** Epoch milliseconds when it was fenced. */
  since: z.number(),
  /** Why it could not be stopped then. */
  reason: z.string(),
});
export type FencedCopy = z.infer<typeof FencedCopy>;

export const AgentRecord = z.object({
  version: z.literal(1),
  name: z.string(),
  runtime: z.enum(['tmux', 'slurm']),
  /** The Host (kind: Host, with ssh) the live incarnation runs on; absent: this machine. Kept in
   * the record so an agent whose spec moved or was deleted is still looked for where it runs. */
  host: z.string().optional(),
  owner: z.string(),
  /** Spec file the applied spec came from. */
  source: z.string().nullable(),
  /** Hash of the spec the live incarnation was started from. */
  specHash: z.string().nullable(),
  /** Effective spec last applied (the base of `diff`'s merge patch). */
  appliedSpec: z.record(z.string(), z.unknown()).nullable(),
  desiredState: z.enum(['Running', 'Stopped']),
  handle: z.string().nullable(),
  /** Epoch milliseconds of the current incarnation's start. */
  startedAt: z.number().nullable(),
  phase: Phase,
  ready: z.boolean(),
  message: z.string(),
  restarts: z.number().int().nonnegative(),
  /** Exits in a row without `resetAfterSeconds` of stable running: drives the backoff delay. */
  crashCount: z.number().int().nonnegative(),
  lastExit: RecordedExit.nullable(),
  /** Epoch milliseconds before which a restart will not happen (backoff). */
  nextStartAt: z.number().nullable(),
  suspended: z.boolean(),
  suspendStop: z.boolean(),
  /** Epoch milliseconds of the last `agentctl restart` request not yet carried out. */
  restartRequestedAt: z.number().nullable(),
  health: HealthState.nullable(),
  /** Consecutive failed attempts of the same step (start errors, hook failures). */
  failures: z.number().int().nonnegative(),
  hookRuns: z.array(HookRun).default([]),
  /** Runtime-specific details for `get -o wide` (Slurm job id, node, state). */
  details: z.record(z.string(), z.string()).default({}),
  /** Start-up of the current incarnation (startup, claude.autoAccept); null when it has none. */
  startup: StartupRecord.nullable().default(null),
  /** A Claude agent's model, session, context use and context policy; null for other agents. */
  claude: ClaudeRecord.nullable().default(null),
  /** Copies on Hosts that did not answer when the agent moved away; empty or absent: none. */
  fenced: z.array(FencedCopy).optional(),
  /** Attention notices already given and the day's spend (DESIGN §10.3); null until the first. */
  attention: AttentionRecord.nullable().default(null),
  conditions: z.array(Condition),
  events: z.array(AgentEvent),
  /** The agent's git worktree, once one was made for it. */
  workspace: WorkspaceRecord.optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type AgentRecord = z.infer<typeof AgentRecord>;

export const MAX_EVENTS = 50;

export function emptyRecord(name: string, runtime: 'tmux' | 'slurm', owner: string, now: number): AgentRecord {
  return {
    version: 1,
    name,
    runtime,
    owner,
    source: null,
    specHash: null,
    appliedSpec: null,
    desiredState: 'Running',
    handle: null,
    startedAt: null,
    phase: 'Pending',
    ready: false,
    message: '',
    restarts: 0,
    crashCount: 0,
    lastExit: null,
    nextStartAt: null,
    suspended: false,
    suspendStop: false,
    restartRequestedAt: null,
    health: null,
    failures: 0,
    hookRuns: [],
    details: {},
    startup: null,
    claude: null,
    attention: null,
    conditions: [],
    events: [],
    createdAt: now,
    updatedAt: now,
  };
}

/** Appends an event, folding a repeat of the last one into a count; keeps the last 50. */
export function withEvent(events: readonly AgentEvent[], e: Omit<AgentEvent, 'count'>): AgentEvent[] {
  const last = events.at(-1);
  if (last && last.reason === e.reason && last.message === e.message && last.type === e.type) {
    return [...events.slice(0, -1), { ...last, time: e.time, count: last.count + 1 }];
  }
  return [...events, { ...e, count: 1 }].slice(-MAX_EVENTS);
}
