// The pure planner as a table: (desired, observed, record, now) → action, reason, phase, requeue.
import { describe, expect, it } from 'vitest';
import { plan, type PlanInput } from '../../../../controllers/agent/plan.js';
import { conditionsFor, isReady } from '../../../../controllers/agent/status.js';
import { emptyRecord, type AgentRecord } from '../../../../src/registry/record.js';
import type { ExitInfo, ObservedAgent } from '../../../../src/runtime/types.js';
import { AgentDocument } from '../../../../src/spec/schema.js';
import type { DesiredAgent } from '../../../../src/spec/load.js';

const OWNER = 'testhost:0123456789';
const T0 = 1_700_000_000_000;
const HASH = 'a'.repeat(64);
const OLD = 'b'.repeat(64);

function desired(spec: Record<string, unknown> = {}, hash = HASH): DesiredAgent {
  const document = AgentDocument.parse({
    apiVersion: 'agentctl/v1',
    kind: 'Agent',
    metadata: { name: 'a' },
    spec: { command: ['sleep', '1000'], workdir: '/tmp', ...spec },
  });
  return { name: 'a', file: 'specs/a.yaml', line: 1, document, spec: document.spec, hash };
}

function observed(o: Partial<ObservedAgent> = {}): ObservedAgent {
  return {
    name: 'a',
    runtime: 'tmux',
    handle: 'h1',
    hash: HASH,
    owner: OWNER,
    alive: true,
    pid: 4242,
    startedAt: T0,
    ...o,
  };
}

function record(r: Partial<AgentRecord> = {}): AgentRecord {
  return {
    ...emptyRecord('a', 'tmux', OWNER, T0),
    handle: 'h1',
    specHash: HASH,
    startedAt: T0,
    phase: 'Running',
    ready: true,
    ...r,
  };
}

function input(i: Partial<PlanInput>): PlanInput {
  return {
    name: 'a',
    desired: undefined,
    observed: undefined,
    record: undefined,
    owner: OWNER,
    now: T0 + 60_000,
    dependenciesNotReady: [],
    dependentsRunning: [],
    ...i,
  };
}

interface Row {
  case: string;
  in: Partial<PlanInput>;
  action: string;
  reason: string;
  phase?: string;
  requeueAfterMs?: number;
}

const dead = (exit: ExitInfo, o: Partial<ObservedAgent> = {}): ObservedAgent => observed({ alive: false, exit, ...o });

describe('plan: desired vs observed vs record', () => {
  const rows: Row[] = [
    {
      case: 'create: desired, nothing observed, no record',
      in: { desired: desired() },
      action: 'create',
      reason: 'NotRunning',
      phase: 'Pending',
    },
    {
      case: 'create: record of a stopped agent (no handle), state back to Running',
      in: { desired: desired(), record: record({ handle: null, phase: 'Stopped' }) },
      action: 'create',
      reason: 'NotRunning',
      phase: 'Pending',
    },
    {
      case: 'recreate: running with another hash',
      in: { desired: desired(), observed: observed({ hash: OLD }), record: record({ specHash: OLD }) },
      action: 'recreate',
      reason: 'SpecChanged',
      phase: 'Pending',
    },
    {
      case: 'recreate: running without any hash mark',
      in: { desired: desired(), observed: observed({ hash: null }), record: record() },
      action: 'recreate',
      reason: 'SpecChanged',
    },
    {
      case: 'none: in sync',
      in: { desired: desired(), observed: observed(), record: record() },
      action: 'none',
      reason: 'InSync',
      phase: 'Running',
    },
    {
      case: 'none: a queued job',
      in: { desired: desired(), observed: observed({ pending: true, reason: 'Priority' }), record: record() },
      action: 'none',
      reason: 'Queued',
      phase: 'Pending',
      requeueAfterMs: 5000,
    },
    {
      case: 'none: waiting for its allocation (slurm.allocation)',
      in: {
        desired: desired(),
        observed: observed({ pending: true, reason: 'AllocationNotRunning' }),
        record: record(),
      },
      action: 'none',
      reason: 'AllocationNotRunning',
      phase: 'Pending',
      requeueAfterMs: 5000,
    },
    {
      case: 'none: in sync, owner mark but no record (registry lost)',
      in: { desired: desired(), observed: observed() },
      action: 'none',
      reason: 'InSync',
      phase: 'Running',
    },
    {
      case: 'stop: state Stopped while running',
      in: { desired: desired({ state: 'Stopped' }), observed: observed(), record: record() },
      action: 'stop',
      reason: 'StateStopped',
      phase: 'Stopped',
    },
    {
      case: 'stop: state Stopped, dead session still there',
      in: {
        desired: desired({ state: 'Stopped' }),
        observed: dead({ code: 0, signal: null, at: T0 }),
        record: record(),
      },
      action: 'stop',
      reason: 'StateStopped',
      phase: 'Stopped',
    },
    {
      case: 'none: state Stopped and already gone',
      in: { desired: desired({ state: 'Stopped' }), record: record({ handle: null }) },
      action: 'none',
      reason: 'Stopped',
      phase: 'Stopped',
    },
    {
      case: 'none: state Stopped, never started',
      in: { desired: desired({ state: 'Stopped' }) },
      action: 'none',
      reason: 'Stopped',
      phase: 'Stopped',
    },
    {
      case: 'prune: spec gone, owned by record, running',
      in: { observed: observed(), record: record() },
      action: 'prune',
      reason: 'SpecRemoved',
      phase: 'Stopped',
    },
    {
      case: 'prune: spec gone, owned by record, not running',
      in: { record: record() },
      action: 'prune',
      reason: 'SpecRemoved',
      phase: 'Stopped',
    },
    {
      case: 'prune: spec gone, owned by owner mark only',
      in: { observed: observed() },
      action: 'prune',
      reason: 'SpecRemoved',
      phase: 'Stopped',
    },
    {
      case: 'prune: spec placed on another host',
      in: { placedOn: 'other', observed: observed(), record: record() },
      action: 'prune',
      reason: 'PlacedElsewhere',
      phase: 'Stopped',
    },
    {
      case: 'none: spec gone, foreign session (other owner, no record)',
      in: { observed: observed({ owner: 'elsewhere:1' }) },
      action: 'none',
      reason: 'NotOwned',
    },
    {
      case: 'none: spec gone, unmarked session, no record',
      in: { observed: observed({ owner: null, hash: null }) },
      action: 'none',
      reason: 'NotOwned',
    },
    {
      case: "none: spec gone, record, but the session is someone else's",
      in: { observed: observed({ owner: 'elsewhere:1', handle: 'x9' }), record: record() },
      action: 'none',
      reason: 'NotOwned',
    },
    { case: 'none: nothing anywhere', in: {}, action: 'none', reason: 'NotOwned' },
    {
      case: 'wait: prune blocked by the guard',
      in: { observed: observed(), record: record(), pruneBlocked: 'the specs folder is empty' },
      action: 'wait',
      reason: 'PruneBlocked',
    },
    {
      case: 'wait: prune blocked, owner mark only',
      in: { observed: observed(), pruneBlocked: 'would prune 3 of 4' },
      action: 'wait',
      reason: 'PruneBlocked',
    },
    {
      case: 'wait: name taken by a foreign session',
      in: { desired: desired(), observed: observed({ owner: 'elsewhere:1' }) },
      action: 'wait',
      reason: 'NameConflict',
      phase: 'Pending',
      requeueAfterMs: 30_000,
    },
    {
      case: 'wait: name taken by an unmarked session',
      in: { desired: desired(), observed: observed({ owner: null, handle: 'zz' }), record: record() },
      action: 'wait',
      reason: 'NameConflict',
    },
    {
      case: 'not foreign: unmarked session whose handle is our recorded one',
      in: { desired: desired(), observed: observed({ owner: null }), record: record() },
      action: 'none',
      reason: 'InSync',
    },
    {
      case: 'wait: dependency not Ready',
      in: { desired: desired({ dependsOn: ['db'] }), dependenciesNotReady: ['db'] },
      action: 'wait',
      reason: 'DependencyNotReady',
      phase: 'Pending',
      requeueAfterMs: 2000,
    },
    {
      case: 'running agent is not stopped because a dependency is not Ready',
      in: {
        desired: desired({ dependsOn: ['db'] }),
        observed: observed(),
        record: record(),
        dependenciesNotReady: ['db'],
      },
      action: 'none',
      reason: 'InSync',
    },
    {
      case: 'wait: Stopped but dependents still running',
      in: {
        desired: desired({ state: 'Stopped' }),
        observed: observed(),
        record: record(),
        dependentsRunning: ['web'],
      },
      action: 'wait',
      reason: 'DependentsStopping',
      phase: 'Running',
      requeueAfterMs: 1000,
    },
    {
      case: 'wait: spec gone but dependents still running',
      in: { observed: observed(), record: record(), dependentsRunning: ['web'] },
      action: 'wait',
      reason: 'DependentsStopping',
      requeueAfterMs: 1000,
    },
    {
      case: 'prune: spec gone, dependents listed but nothing observed',
      in: { record: record(), dependentsRunning: ['web'] },
      action: 'prune',
      reason: 'SpecRemoved',
    },
    {
      case: 'none: suspended, running',
      in: { desired: desired(), observed: observed({ hash: OLD }), record: record({ suspended: true }) },
      action: 'none',
      reason: 'Suspended',
      phase: 'Suspended',
    },
    {
      case: 'none: suspended, not running',
      in: { desired: desired(), record: record({ suspended: true, handle: null }) },
      action: 'none',
      reason: 'Suspended',
      phase: 'Suspended',
    },
    {
      case: 'stop: suspended with --stop, running',
      in: { desired: desired(), observed: observed(), record: record({ suspended: true, suspendStop: true }) },
      action: 'stop',
      reason: 'Suspended',
      phase: 'Suspended',
    },
    {
      case: 'none: suspended with --stop, already stopped',
      in: { desired: desired(), record: record({ suspended: true, suspendStop: true, handle: null }) },
      action: 'none',
      reason: 'Suspended',
      phase: 'Suspended',
    },
    {
      case: 'restart: restart requested after the start',
      in: { desired: desired(), observed: observed(), record: record({ restartRequestedAt: T0 + 1000 }) },
      action: 'restart',
      reason: 'RestartRequested',
    },
    {
      case: 'none: restart request older than the current start',
      in: { desired: desired(), observed: observed(), record: record({ restartRequestedAt: T0 - 1000 }) },
      action: 'none',
      reason: 'InSync',
    },
    {
      case: 'restart: unhealthy this incarnation',
      in: {
        desired: desired({ healthCheck: { exec: ['true'], failureThreshold: 3 } }),
        observed: observed(),
        record: record({
          health: { handle: 'h1', consecutiveFailures: 3, passed: true, lastCheckAt: T0, lastMessage: 'exit 1' },
        }),
      },
      action: 'restart',
      reason: 'Unhealthy',
    },
    {
      case: 'none: failures below the threshold',
      in: {
        desired: desired({ healthCheck: { exec: ['true'], failureThreshold: 3 } }),
        observed: observed(),
        record: record({
          health: { handle: 'h1', consecutiveFailures: 2, passed: true, lastCheckAt: T0, lastMessage: 'exit 1' },
        }),
      },
      action: 'none',
      reason: 'InSync',
    },
    {
      case: 'none: failures of an earlier incarnation',
      in: {
        desired: desired({ healthCheck: { exec: ['true'], failureThreshold: 3 } }),
        observed: observed({ handle: 'h2' }),
        record: record({
          handle: 'h2',
          health: { handle: 'h1', consecutiveFailures: 9, passed: false, lastCheckAt: T0, lastMessage: 'x' },
        }),
      },
      action: 'none',
      reason: 'InSync',
    },
  ];

  it.each(rows)('$case', (row) => {
    const p = plan(input(row.in));
    expect({ action: p.action, reason: p.reason }).toEqual({ action: row.action, reason: row.reason });
    if (row.phase !== undefined) expect(p.phase).toBe(row.phase);
    if (row.requeueAfterMs !== undefined) expect(p.requeueAfterMs).toBe(row.requeueAfterMs);
    if (p.action !== 'wait' && p.action !== 'none') expect(p.exit).toBeUndefined();
  });
});

describe('plan: an agent of an invalid spec file is left exactly as it is', () => {
  const specInvalid = { file: 'specs/broken.yaml', message: 'see agentctl validate' };
  const rows: { case: string; in: Partial<PlanInput>; phase: string }[] = [
    {
      case: 'running, out of date, spec unreadable',
      in: { observed: observed({ hash: OLD }), record: record({ specHash: OLD }) },
      phase: 'Running',
    },
    { case: 'owned, would otherwise be pruned', in: { observed: observed(), record: record() }, phase: 'Running' },
    { case: 'owned by mark only', in: { observed: observed() }, phase: 'Running' },
    {
      case: 'exited, would otherwise be restarted',
      in: { observed: dead({ code: 1, signal: null, at: T0 }), record: record({ phase: 'Failed' }) },
      phase: 'Failed',
    },
    { case: 'recorded, vanished', in: { record: record({ phase: 'Stopped' }) }, phase: 'Stopped' },
    { case: 'never seen', in: {}, phase: 'Unknown' },
    {
      case: 'even with a (stale) desired spec and a dependency wait',
      in: { desired: desired(), dependenciesNotReady: ['db'] },
      phase: 'Unknown',
    },
    { case: 'even while prunes are blocked', in: { record: record(), pruneBlocked: 'x' }, phase: 'Running' },
  ];
  it.each(rows)('$case', (row) => {
    const p = plan(input({ ...row.in, specInvalid }));
    expect(p).toMatchObject({ action: 'none', reason: 'SpecInvalid', phase: row.phase });
    expect(p.message).toContain('specs/broken.yaml');
    expect(p.exit).toBeUndefined();
    expect(p.requeueAfterMs).toBeUndefined();
  });

  it('shows up as a SpecInvalid condition, and as nothing else', () => {
    const p = plan(input({ observed: observed(), record: record(), specInvalid }));
    const c = conditionsFor({ plan: p, phase: p.phase, ready: true, previous: [], nowIso: '2024-01-01T00:00:00.000Z' });
    expect(c.find((x) => x.type === 'SpecInvalid')).toMatchObject({ status: 'True', reason: 'SpecInvalid' });
    expect(c.find((x) => x.type === 'Progressing')?.status).toBe('False');
    expect(c.find((x) => x.type === 'Degraded')?.status).toBe('False');
  });
});

describe('plan: exits × restartPolicy × backoff', () => {
  const EXIT_AT = T0 + 5_000; // ran 5 s: a crash, not a stable run
  const exits: { name: string; exit: ExitInfo; ok: boolean }[] = [
    { name: 'exit 0', exit: { code: 0, signal: null, at: EXIT_AT }, ok: true },
    { name: 'exit 1', exit: { code: 1, signal: null, at: EXIT_AT }, ok: false },
    { name: 'SIGKILL', exit: { code: 137, signal: 'SIGKILL', at: EXIT_AT }, ok: false },
  ];
  const policies = ['Always', 'OnFailure', 'Never'] as const;
  const moments = [
    { name: 'before the delay', after: 9_999 },
    { name: 'after the delay', after: 10_000 },
  ];
  const rows = policies.flatMap((policy) =>
    exits.flatMap((e) => moments.map((m) => ({ policy, ...e, moment: m.name, after: m.after }))),
  );

  it.each(rows)('$policy, $name, $moment', ({ policy, exit, ok, after }) => {
    const restarts = policy === 'Always' || (policy === 'OnFailure' && !ok);
    const p = plan(
      input({
        desired: desired({ restartPolicy: policy }),
        observed: dead(exit),
        record: record(),
        now: EXIT_AT + after,
      }),
    );
    // The first sighting of this exit is handed back to be recorded, whatever the decision.
    expect(p.exit).toMatchObject({ code: exit.code, signal: exit.signal, at: exit.at, handle: 'h1', crashCount: 1 });
    if (!restarts) {
      expect(p).toMatchObject({
        action: 'none',
        reason: ok ? 'Completed' : 'Exited',
        phase: ok ? 'Succeeded' : 'Failed',
      });
      expect(p.requeueAfterMs).toBeUndefined();
    } else if (after < 10_000) {
      expect(p).toMatchObject({
        action: 'wait',
        reason: 'BackOff',
        phase: 'CrashLoopBackOff',
        requeueAfterMs: 10_000 - after,
        nextStartAt: EXIT_AT + 10_000,
      });
    } else {
      expect(p).toMatchObject({ action: 'restart', reason: 'Exited', phase: 'Pending' });
    }
  });

  it('records an exit once per handle: a known exit is not handed back again, and the recorded count drives the delay', () => {
    const exit = { code: 1, signal: null, at: EXIT_AT };
    const r = record({ lastExit: { ...exit, handle: 'h1' }, crashCount: 3 });
    const p = plan(input({ desired: desired(), observed: dead(exit), record: r, now: EXIT_AT + 39_000 }));
    expect(p.exit).toBeUndefined();
    expect(p).toMatchObject({ action: 'wait', reason: 'BackOff', requeueAfterMs: 1_000 });
    expect(plan(input({ desired: desired(), observed: dead(exit), record: r, now: EXIT_AT + 40_000 })).action).toBe(
      'restart',
    );
  });

  it('a new incarnation exiting is a new exit: the count goes on from the record', () => {
    const r = record({
      handle: 'h2',
      startedAt: T0,
      lastExit: { code: 1, signal: null, at: T0 - 1, handle: 'h1' },
      crashCount: 2,
    });
    const p = plan(
      input({
        desired: desired(),
        observed: dead({ code: 1, signal: null, at: EXIT_AT }, { handle: 'h2' }),
        record: r,
        now: EXIT_AT,
      }),
    );
    expect(p.exit).toMatchObject({ handle: 'h2', crashCount: 3 });
    expect(p.requeueAfterMs).toBe(40_000);
  });

  it('a run of resetAfterSeconds before the exit starts the count over', () => {
    const exitAt = T0 + 600_000;
    const r = record({ crashCount: 5, lastExit: { code: 1, signal: null, at: T0 - 1, handle: 'h0' } });
    const p = plan(
      input({ desired: desired(), observed: dead({ code: 1, signal: null, at: exitAt }), record: r, now: exitAt }),
    );
    expect(p.exit?.crashCount).toBe(1);
    expect(p.requeueAfterMs).toBe(10_000);
  });

  it('uses spec.backoff for the delay', () => {
    const p = plan(
      input({
        desired: desired({ backoff: { initialSeconds: 2, maxSeconds: 3 } }),
        observed: dead({ code: 1, signal: null, at: EXIT_AT }),
        record: record({ crashCount: 4 }),
        now: EXIT_AT,
      }),
    );
    expect(p.exit?.crashCount).toBe(5);
    expect(p.requeueAfterMs).toBe(3_000);
  });

  it('an exited agent whose spec changed is recreated at once, without waiting for the backoff', () => {
    const p = plan(
      input({
        desired: desired(),
        observed: dead({ code: 1, signal: null, at: EXIT_AT }, { hash: OLD }),
        record: record({ specHash: OLD, crashCount: 6 }),
        now: EXIT_AT,
      }),
    );
    expect(p).toMatchObject({ action: 'recreate', reason: 'SpecChanged' });
    expect(p.exit).toBeDefined();
  });

  it('an exited agent with a restart request restarts at once, even under Never', () => {
    const p = plan(
      input({
        desired: desired({ restartPolicy: 'Never' }),
        observed: dead({ code: 0, signal: null, at: EXIT_AT }),
        record: record({ restartRequestedAt: EXIT_AT + 1 }),
        now: EXIT_AT + 2,
      }),
    );
    expect(p).toMatchObject({ action: 'restart', reason: 'RestartRequested' });
  });

  it('an exited agent waits for its dependencies before restarting', () => {
    const p = plan(
      input({
        desired: desired({ dependsOn: ['db'] }),
        observed: dead({ code: 1, signal: null, at: EXIT_AT }),
        record: record(),
        dependenciesNotReady: ['db'],
        now: EXIT_AT + 60_000,
      }),
    );
    expect(p).toMatchObject({ action: 'wait', reason: 'DependencyNotReady' });
    expect(p.exit).toBeDefined();
  });
});

describe('plan: a vanished incarnation (recorded handle, nothing observed)', () => {
  const rows: {
    case: string;
    policy: 'Always' | 'OnFailure' | 'Never';
    vanishedExit: ExitInfo | null;
    action: string;
    reason: string;
    crashCount: number;
  }[] = [
    {
      case: 'killed by hand (no exit recorded), Always: repaired at once, not a crash',
      policy: 'Always',
      vanishedExit: null,
      action: 'create',
      reason: 'Vanished',
      crashCount: 2,
    },
    {
      case: 'killed by hand, OnFailure: repaired at once',
      policy: 'OnFailure',
      vanishedExit: null,
      action: 'create',
      reason: 'Vanished',
      crashCount: 2,
    },
    {
      case: 'killed by hand, Never: left down',
      policy: 'Never',
      vanishedExit: null,
      action: 'none',
      reason: 'Exited',
      crashCount: 3,
    },
    {
      case: 'exited 1 and the session went away, Always: a crash, backs off',
      policy: 'Always',
      vanishedExit: { code: 1, signal: null, at: T0 + 5000 },
      action: 'wait',
      reason: 'BackOff',
      crashCount: 3,
    },
    {
      case: 'exited 0 and the session went away, OnFailure: completed',
      policy: 'OnFailure',
      vanishedExit: { code: 0, signal: null, at: T0 + 5000 },
      action: 'none',
      reason: 'Completed',
      crashCount: 3,
    },
  ];
  it.each(rows)('$case', (row) => {
    const r = record({ crashCount: 2 });
    const p = plan(
      input({
        desired: desired({ restartPolicy: row.policy }),
        record: r,
        vanishedExit: row.vanishedExit,
        now: T0 + 6000,
      }),
    );
    expect({ action: p.action, reason: p.reason }).toEqual({ action: row.action, reason: row.reason });
    expect(p.exit).toMatchObject({ handle: 'h1', crashCount: row.crashCount });
  });

  it('a vanished incarnation whose exit is already recorded is not counted twice', () => {
    const r = record({ crashCount: 2, lastExit: { code: 1, signal: null, at: T0 + 5000, handle: 'h1' } });
    const p = plan(input({ desired: desired(), record: r, now: T0 + 6000 }));
    expect(p.exit).toBeUndefined();
    expect(p).toMatchObject({ action: 'wait', reason: 'BackOff', requeueAfterMs: 19_000 });
  });
});

describe('status: conditions derived from a plan', () => {
  const NOW = '2024-01-01T00:00:00.000Z';
  const LATER = '2024-01-01T00:05:00.000Z';
  const cond = (p: ReturnType<typeof plan>, ready: boolean, extra: Partial<Parameters<typeof conditionsFor>[0]> = {}) =>
    Object.fromEntries(
      conditionsFor({ plan: p, phase: p.phase, ready, previous: [], nowIso: NOW, ...extra }).map((c) => [
        c.type,
        `${c.status}/${c.reason}`,
      ]),
    );

  it.each([
    {
      case: 'in sync and ready',
      in: { desired: desired(), observed: observed(), record: record() },
      ready: true,
      want: {
        Ready: 'True/Ready',
        Progressing: 'False/Settled',
        Degraded: 'False/AsExpected',
        SpecInvalid: 'False/SpecValid',
        Stalled: 'False/NotStalled',
      },
    },
    {
      case: 'creating',
      in: { desired: desired() },
      ready: false,
      want: { Ready: 'False/NotRunning', Progressing: 'True/NotRunning', Degraded: 'False/AsExpected' },
    },
    {
      case: 'crash loop',
      in: { desired: desired(), observed: dead({ code: 1, signal: null, at: T0 }), record: record(), now: T0 + 1 },
      ready: false,
      want: { Ready: 'False/BackOff', Progressing: 'False/Settled', Degraded: 'True/BackOff' },
    },
    {
      case: 'failed under Never',
      in: {
        desired: desired({ restartPolicy: 'Never' }),
        observed: dead({ code: 1, signal: null, at: T0 }),
        record: record(),
      },
      ready: false,
      want: { Degraded: 'True/Exited' },
    },
    {
      case: 'name conflict',
      in: { desired: desired(), observed: observed({ owner: 'x' }) },
      ready: false,
      want: { Stalled: 'True/NameConflict' },
    },
    {
      case: 'prune blocked',
      in: { record: record(), pruneBlocked: 'folder empty' },
      ready: false,
      want: { Stalled: 'True/PruneBlocked' },
    },
    {
      case: 'waiting for a dependency',
      in: { desired: desired({ dependsOn: ['db'] }), dependenciesNotReady: ['db'] },
      ready: false,
      want: { Progressing: 'True/DependencyNotReady', Stalled: 'False/NotStalled' },
    },
  ])('$case', (row) => {
    const p = plan(input(row.in));
    expect(cond(p, row.ready)).toMatchObject(row.want);
  });

  it('a failed step is Degraded (StepFailed) and not Progressing', () => {
    const p = plan(input({ desired: desired() }));
    expect(cond(p, false, { stepError: 'tmux new-session failed' })).toMatchObject({
      Degraded: 'True/StepFailed',
      Progressing: 'False/Settled',
    });
  });

  it('keeps lastTransitionTime while a status holds, and moves it when the status flips', () => {
    const p1 = plan(input({ desired: desired(), observed: observed(), record: record() }));
    const first = conditionsFor({ plan: p1, phase: p1.phase, ready: true, previous: [], nowIso: NOW });
    const same = conditionsFor({ plan: p1, phase: p1.phase, ready: true, previous: first, nowIso: LATER });
    expect(same.map((c) => c.lastTransitionTime)).toEqual(first.map(() => NOW));
    const p2 = plan(
      input({ desired: desired(), observed: dead({ code: 1, signal: null, at: T0 }), record: record(), now: T0 + 1 }),
    );
    const flipped = conditionsFor({ plan: p2, phase: p2.phase, ready: false, previous: first, nowIso: LATER });
    expect(flipped.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(LATER);
    expect(flipped.find((c) => c.type === 'SpecInvalid')?.lastTransitionTime).toBe(NOW);
  });
});

describe('status: isReady', () => {
  const health = (h: Partial<NonNullable<AgentRecord['health']>>) => ({
    handle: 'h1',
    consecutiveFailures: 0,
    passed: true,
    lastCheckAt: T0,
    lastMessage: '',
    ...h,
  });
  it.each([
    {
      case: 'running, no health check',
      phase: 'Running',
      rec: { handle: 'h1', health: null },
      threshold: null,
      ready: true,
    },
    {
      case: 'pending, no health check',
      phase: 'Pending',
      rec: { handle: 'h1', health: null },
      threshold: null,
      ready: false,
    },
    {
      case: 'running, health check not yet run',
      phase: 'Running',
      rec: { handle: 'h1', health: null },
      threshold: 3,
      ready: false,
    },
    {
      case: 'running, check passed',
      phase: 'Running',
      rec: { handle: 'h1', health: health({}) },
      threshold: 3,
      ready: true,
    },
    {
      case: 'running, passed once, now failing below the threshold',
      phase: 'Running',
      rec: { handle: 'h1', health: health({ consecutiveFailures: 2 }) },
      threshold: 3,
      ready: true,
    },
    {
      case: 'running, failing at the threshold',
      phase: 'Running',
      rec: { handle: 'h1', health: health({ consecutiveFailures: 3 }) },
      threshold: 3,
      ready: false,
    },
    {
      case: 'running, never passed',
      phase: 'Running',
      rec: { handle: 'h1', health: health({ passed: false }) },
      threshold: 3,
      ready: false,
    },
    {
      case: 'running, the pass was an earlier incarnation',
      phase: 'Running',
      rec: { handle: 'h2', health: health({}) },
      threshold: 3,
      ready: false,
    },
  ] as const)('$case', ({ phase, rec, threshold, ready }) => {
    expect(isReady(phase, rec, threshold)).toBe(ready);
  });
});
