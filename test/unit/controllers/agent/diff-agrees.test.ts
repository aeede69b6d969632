// diff and reconcile share one plan: for each situation, what diff reports is what the next reconcile does.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentDeps } from '../../../../controllers/agent/deps.js';
import { DesiredStore } from '../../../../controllers/agent/desired-store.js';
import { load } from '../../../../controllers/agent/pipeline.js';
import { reconcileAgent } from '../../../../controllers/agent/reconcile.js';
import { RecordStore } from '../../../../controllers/agent/record-store.js';
import { Views } from '../../../../controllers/agent/views.js';
import { diffAction } from '../../../../src/cli/commands/diff.js';
import { createLocalExecutor } from '../../../../src/exec/local.js';
import { emptyRecord, type AgentRecord } from '../../../../src/registry/record.js';
import { tmuxCapabilities } from '../../../../src/runtime/capabilities.js';
import { RuntimeSet } from '../../../../src/runtime/runtime-set.js';
import type { BatchResult, Observation, ObservedAgent, Runtime } from '../../../../src/runtime/types.js';
import { removeTree } from '../../../helpers/remove-tree.js';

const OWNER = 'testhost:0123456789';
const NOW = 1_700_000_000_000;
const HOUR = 3_600_000;
const log = pino({ level: 'silent' });

/** A runtime that shows one fixed observation and counts the starts and stops asked of it. */
class ScriptedRuntime implements Runtime {
  readonly name = 'tmux' as const;
  readonly capabilities = tmuxCapabilities;
  starts: string[] = [];
  stops: string[] = [];
  constructor(private readonly agents: ObservedAgent[]) {}
  observe(): Promise<Observation> {
    const agents = new Map(this.agents.map((a) => [a.name, a]));
    return Promise.resolve({ runtime: 'tmux', takenAt: NOW, agents, foreign: [] });
  }
  start(reqs: { name: string }[]): Promise<BatchResult> {
    this.starts.push(...reqs.map((r) => r.name));
    return Promise.resolve(new Map(reqs.map((r) => [r.name, { handle: 'h-new' }])));
  }
  stop(reqs: { name: string }[]): Promise<BatchResult> {
    this.stops.push(...reqs.map((r) => r.name));
    return Promise.resolve(new Map(reqs.map((r) => [r.name, {}])));
  }
  exitOf(): Promise<null> {
    return Promise.resolve(null);
  }
  logs(): Promise<string> {
    return Promise.resolve('');
  }
  attach(): Promise<number> {
    return Promise.resolve(0);
  }
}

const agentYaml = (name: string, extra = ''): string =>
  `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: ${name}\nspec:\n  command: [sleep, '60']\n${extra}`;

interface Situation {
  /** Spec lines of agent `a`; null: its spec is gone. */
  spec: string | null;
  record?: (hash: string) => Partial<AgentRecord>;
  observed?: (hash: string) => Partial<ObservedAgent>;
  action: string;
  reason: string;
  starts: number;
  stops: number;
}

const live = (hash: string): Partial<ObservedAgent> => ({ handle: 'h1', hash, alive: true, startedAt: NOW - HOUR });
const recorded = (hash: string): Partial<AgentRecord> => ({ handle: 'h1', specHash: hash, startedAt: NOW - HOUR });
const exited = (ago: number) => (hash: string) => ({
  ...live(hash),
  alive: false,
  exit: { code: 1, signal: null, at: NOW - ago },
});

const SITUATIONS: [string, Situation][] = [
  ['create', { spec: '', action: 'create', reason: 'NotRunning', starts: 1, stops: 0 }],
  [
    'recreate on hash change',
    {
      spec: '',
      record: () => recorded('old'),
      observed: () => live('old'),
      action: 'recreate',
      reason: 'SpecChanged',
      starts: 1,
      stops: 1,
    },
  ],
  [
    'restart after an exit, restartPolicy Always',
    {
      spec: '',
      record: recorded,
      observed: exited(HOUR / 2),
      action: 'restart',
      reason: 'Exited',
      starts: 1,
      stops: 1,
    },
  ],
  [
    'backoff wait after a fresh exit',
    { spec: '', record: recorded, observed: exited(1000), action: 'wait', reason: 'BackOff', starts: 0, stops: 0 },
  ],
  [
    'stop',
    {
      spec: '  state: Stopped\n',
      record: recorded,
      observed: live,
      action: 'stop',
      reason: 'StateStopped',
      starts: 0,
      stops: 1,
    },
  ],
  [
    'prune',
    { spec: null, record: recorded, observed: live, action: 'prune', reason: 'SpecRemoved', starts: 0, stops: 1 },
  ],
  [
    'adoption of a live incarnation the record does not know',
    { spec: '', observed: live, action: 'none', reason: 'InSync', starts: 0, stops: 0 },
  ],
  [
    'unhealthy: a due probe fails at the threshold',
    {
      spec: '  healthCheck:\n    exec: ["false"]\n    failureThreshold: 1\n',
      record: recorded,
      observed: live,
      action: 'restart',
      reason: 'Unhealthy',
      starts: 1,
      stops: 1,
    },
  ],
  ['vanished', { spec: '', record: recorded, action: 'create', reason: 'Vanished', starts: 1, stops: 0 }],
];

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => removeTree(d)));

async function world(s: Situation): Promise<{ d: AgentDeps; rt: ScriptedRuntime; home: string }> {
  const home = mkdtempSync(join(tmpdir(), 'agentctl-diff-'));
  dirs.push(home);
  const specsDir = join(home, 'specs');
  const stateDir = join(home, 'state');
  mkdirSync(specsDir);
  // Another agent keeps the folder from looking emptied (the mass-prune guard).
  writeFileSync(join(specsDir, 'other.yaml'), agentYaml('other'));
  if (s.spec !== null) writeFileSync(join(specsDir, 'a.yaml'), agentYaml('a', s.spec));
  const desired = new DesiredStore({ specsDir, host: 'testhost', home, cacheFile: join(stateDir, 'c.json'), log });
  // The hash the spec has once loaded: loaded once without the runtime's agents to learn it.
  const probeStore = new DesiredStore({ specsDir, host: 'testhost', home, cacheFile: join(home, 'p.json'), log });
  await probeStore.reload([]);
  const hash = probeStore.get('a')?.hash ?? 'gone';
  const observed = s.observed
    ? [{ name: 'a', runtime: 'tmux' as const, owner: OWNER, ...s.observed(hash) } as ObservedAgent]
    : [];
  const rt = new ScriptedRuntime(observed);
  const runtimes = new RuntimeSet(new Map([['tmux', rt]]));
  const d: AgentDeps = {
    identity: { owner: OWNER, host: 'testhost', home, stateDir },
    policy: { allowMassPrune: false, settleMs: 0 },
    desired,
    records: new RecordStore(stateDir, log),
    runtimes,
    views: new Views(runtimes, () => NOW),
    hooks: undefined,
    probeExec: createLocalExecutor(),
    now: () => NOW,
    log,
  };
  if (s.record) await d.records.save({ ...emptyRecord('a', 'tmux', OWNER, NOW - HOUR), ...s.record(hash) });
  await load(d);
  return { d, rt, home };
}

describe('diff reports what the next reconcile does', () => {
  it.each(SITUATIONS)('%s', async (_, s) => {
    const { d, rt, home } = await world(s);
    const shown = await diffAction(d, home, 'a', (key) => d.views.forAgent(key, 'a'));
    expect({ action: shown?.action, reason: shown?.reason }).toEqual({ action: s.action, reason: s.reason });
    // diff acted on nothing and wrote nothing.
    expect([rt.starts.length, rt.stops.length]).toEqual([0, 0]);
    const before = JSON.stringify(d.records.get('a') ?? null);
    const done = await reconcileAgent(d, 'a');
    expect({ action: done.plan.action, reason: done.plan.reason }).toEqual({ action: s.action, reason: s.reason });
    expect([rt.starts.length, rt.stops.length]).toEqual([s.starts, s.stops]);
    if (s.action === 'prune') expect(d.records.get('a')).toBeUndefined();
    else expect(JSON.stringify(d.records.get('a') ?? null)).not.toEqual(before);
  });
});

describe('a reconcile whose signal has aborted (deadline passed, controller stopping)', () => {
  it.each(SITUATIONS.filter(([, s]) => s.starts + s.stops > 0))('%s: acts on nothing', async (_, s) => {
    const { d, rt } = await world(s);
    const before = JSON.stringify(d.records.get('a') ?? null);
    const ac = new AbortController();
    ac.abort(new Error('the controller is stopping'));
    await expect(reconcileAgent(d, 'a', ac.signal)).rejects.toThrow('the controller is stopping');
    expect([rt.starts.length, rt.stops.length]).toEqual([0, 0]);
    expect(JSON.stringify(d.records.get('a') ?? null)).toEqual(before);
  });
});
