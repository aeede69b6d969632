// Every restart through one backoff: health and context restarts wait a delay after the last start; maxRetries ends Failed.
import { describe, expect, it } from 'vitest';
import { plan, type PlanInput } from '../../../../controllers/agent/plan.js';
import { gateAfter, gateLive } from '../../../../controllers/agent/restart-gate.js';
import { emptyRecord, type AgentRecord } from '../../../../src/registry/record.js';
import type { ObservedAgent } from '../../../../src/runtime/types.js';
import { AgentDocument, Backoff } from '../../../../src/spec/schema.js';
import type { DesiredAgent } from '../../../../src/spec/load.js';

const OWNER = 'testhost:0123456789';
const T0 = 1_700_000_000_000;
const HASH = 'a'.repeat(64);
const OLD = 'b'.repeat(64);
const S = 1000;

function desired(backoff: Record<string, unknown> = {}, hash = HASH): DesiredAgent {
  const document = AgentDocument.parse({
    apiVersion: 'agentctl/v1',
    kind: 'Agent',
    metadata: { name: 'a' },
    spec: {
      command: ['sleep', '1000'],
      workdir: '/tmp',
      backoff,
      healthCheck: { exec: ['false'], periodSeconds: 1, failureThreshold: 1 },
    },
  });
  return { name: 'a', file: 'specs/a.yaml', line: 1, document, spec: document.spec, hash };
}

const alive = (o: Partial<ObservedAgent> = {}): ObservedAgent => ({
  name: 'a',
  runtime: 'tmux',
  handle: 'h1',
  hash: HASH,
  owner: OWNER,
  alive: true,
  pid: 4242,
  startedAt: T0,
  ...o,
});

const failing = { handle: 'h1', consecutiveFailures: 1, passed: false, lastCheckAt: T0 + S, lastMessage: 'exit 1' };

function record(r: Partial<AgentRecord> = {}): AgentRecord {
  return {
    ...emptyRecord('a', 'tmux', OWNER, T0),
    handle: 'h1',
    specHash: HASH,
    startedAt: T0,
    phase: 'Running',
    ready: false,
    health: failing,
    ...r,
  };
}

const input = (i: Partial<PlanInput>): PlanInput => ({
  name: 'a',
  desired: desired(),
  observed: alive(),
  record: record(),
  owner: OWNER,
  now: T0 + 2 * S,
  dependenciesNotReady: [],
  dependentsRunning: [],
  ...i,
});

describe('gate: the one backoff for every restart', () => {
  const b = Backoff.parse({ maxRetries: 2 });
  it.each([
    // previous count, ran for (s), → count, due after the start (s), over the limit
    [0, 1, 1, 10, false],
    [1, 1, 2, 20, false],
    [2, 5, 3, 40, true],
    [5, 600, 1, 10, false],
  ])('live restart after %i in a row, ran %is: restart %i, due %is after the start', (prev, ran, count, due, over) => {
    const g = gateLive(prev, T0, T0 + ran * S, b);
    expect(g).toEqual({ crashCount: count, dueAt: T0 + due * S, overLimit: over });
  });

  it('without maxRetries there is no limit', () => {
    expect(gateAfter(10_000, T0, Backoff.parse({})).overLimit).toBe(false);
  });

  it('maxRetries 0: the first restart is already over the limit', () => {
    expect(gateAfter(1, T0, Backoff.parse({ maxRetries: 0 })).overLimit).toBe(true);
  });
});

interface Row {
  case: string;
  in: Partial<PlanInput>;
  action: string;
  reason: string;
  phase: string;
  crashCount?: number;
  requeueAfterMs?: number;
}

describe('plan: restarts of a live incarnation go through the backoff', () => {
  const rows: Row[] = [
    {
      case: 'a check failing 1 s after the first start waits until 10 s after it',
      in: {},
      action: 'wait',
      reason: 'Unhealthy',
      phase: 'Running',
      requeueAfterMs: 8 * S,
    },
    {
      case: 'at 10 s after the start it restarts, as the first in a row',
      in: { now: T0 + 10 * S },
      action: 'restart',
      reason: 'Unhealthy',
      phase: 'Running',
      crashCount: 1,
    },
    {
      case: 'the second in a row waits 20 s after the last start',
      in: { record: record({ crashCount: 1 }), now: T0 + 19 * S },
      action: 'wait',
      reason: 'Unhealthy',
      phase: 'Running',
      requeueAfterMs: S,
    },
    {
      case: 'after a stable run the count starts over',
      in: { record: record({ crashCount: 4 }), now: T0 + 700 * S },
      action: 'restart',
      reason: 'Unhealthy',
      phase: 'Running',
      crashCount: 1,
    },
    {
      case: 'past maxRetries a failing agent ends Failed',
      in: { desired: desired({ maxRetries: 2 }), record: record({ crashCount: 2 }) },
      action: 'end',
      reason: 'RetryLimit',
      phase: 'Failed',
      crashCount: 3,
    },
    {
      case: 'within maxRetries it still waits its turn',
      in: { desired: desired({ maxRetries: 2 }), record: record({ crashCount: 1 }) },
      action: 'wait',
      reason: 'Unhealthy',
      phase: 'Running',
    },
    {
      case: 'a full context waits the same delay',
      in: {
        record: record({
          health: null,
          restartRequestedAt: T0 + S,
          claude: { restartPending: 'context 91%' } as AgentRecord['claude'],
        }),
      },
      action: 'wait',
      reason: 'ContextFull',
      phase: 'Running',
    },
    {
      case: 'agentctl restart is carried out at once and starts the count over',
      in: { record: record({ health: null, crashCount: 3, restartRequestedAt: T0 + S }) },
      action: 'restart',
      reason: 'RestartRequested',
      phase: 'Pending',
      crashCount: 0,
    },
    {
      case: 'a spec change rolls at once and starts the count over',
      in: { observed: alive({ hash: OLD }), record: record({ crashCount: 3, specHash: OLD }) },
      action: 'recreate',
      reason: 'SpecChanged',
      phase: 'Pending',
      crashCount: 0,
    },
  ];
  it.each(rows)('$case', (row) => {
    const p = plan(input(row.in));
    expect({ action: p.action, reason: p.reason, phase: p.phase }).toEqual({
      action: row.action,
      reason: row.reason,
      phase: row.phase,
    });
    if (row.crashCount !== undefined) expect(p.crashCount).toBe(row.crashCount);
    if (row.requeueAfterMs !== undefined) expect(p.requeueAfterMs).toBe(row.requeueAfterMs);
  });
});

describe('plan: an agent that reached backoff.maxRetries', () => {
  const exit = { code: 1, signal: null, at: T0 + 5 * S };
  const dead = alive({ alive: false, exit });
  const ended = (r: Partial<AgentRecord> = {}): AgentRecord =>
    record({ handle: null, startedAt: null, health: null, crashCount: 3, phase: 'Failed', ...r });
  const rows: Row[] = [
    {
      case: 'an exit past the limit ends it, with the exit recorded',
      in: { desired: desired({ maxRetries: 2 }), observed: dead, record: record({ crashCount: 2, health: null }) },
      action: 'end',
      reason: 'RetryLimit',
      phase: 'Failed',
      crashCount: 3,
    },
    {
      case: 'an exit within the limit backs off as before',
      in: { desired: desired({ maxRetries: 3 }), observed: dead, record: record({ crashCount: 2, health: null }) },
      action: 'wait',
      reason: 'BackOff',
      phase: 'CrashLoopBackOff',
    },
    {
      case: 'once ended it stays Failed: nothing is started',
      in: { desired: desired({ maxRetries: 2 }), observed: undefined, record: ended() },
      action: 'none',
      reason: 'RetryLimit',
      phase: 'Failed',
    },
    {
      case: 'a live incarnation left over is ended again',
      in: { desired: desired({ maxRetries: 2 }), record: ended({ handle: 'h1', startedAt: T0 }) },
      action: 'end',
      reason: 'RetryLimit',
      phase: 'Failed',
    },
    {
      case: 'agentctl restart starts it again with the count at 0',
      in: {
        desired: desired({ maxRetries: 2 }),
        observed: undefined,
        record: ended({ restartRequestedAt: T0 + 9 * S }),
      },
      action: 'create',
      reason: 'NotRunning',
      phase: 'Pending',
      crashCount: 0,
    },
    {
      case: 'a changed spec starts it again with the count at 0',
      in: { desired: desired({ maxRetries: 2 }), observed: undefined, record: ended({ specHash: OLD }) },
      action: 'create',
      reason: 'NotRunning',
      phase: 'Pending',
      crashCount: 0,
    },
    {
      case: 'a dead session left over restarts on agentctl restart, count at 0',
      in: {
        desired: desired({ maxRetries: 2 }),
        observed: dead,
        record: ended({ handle: 'h1', restartRequestedAt: T0 + 9 * S, lastExit: { ...exit, handle: 'h1' } }),
      },
      action: 'restart',
      reason: 'RestartRequested',
      phase: 'Pending',
      crashCount: 0,
    },
  ];
  it.each(rows)('$case', (row) => {
    const p = plan(input({ now: T0 + 10 * S, ...row.in }));
    expect({ action: p.action, reason: p.reason, phase: p.phase }).toEqual({
      action: row.action,
      reason: row.reason,
      phase: row.phase,
    });
    if (row.crashCount !== undefined) expect(p.crashCount ?? p.exit?.crashCount).toBe(row.crashCount);
  });
});

describe('schema: backoff.maxRetries', () => {
  it('defaults to no limit and takes a non-negative integer', () => {
    expect(Backoff.parse({}).maxRetries).toBeUndefined();
    expect(Backoff.parse({ maxRetries: 0 }).maxRetries).toBe(0);
    expect(Backoff.safeParse({ maxRetries: -1 }).success).toBe(false);
    expect(Backoff.safeParse({ maxRetries: 1.5 }).success).toBe(false);
  });
});
