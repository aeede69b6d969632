// get/describe without a controller: recorded status checked against what runs now (pure).
import { describe, expect, it } from 'vitest';
import type { StatusItem } from '../../../controllers/agent/status-items.js';
import type { HostStatus } from '../../../src/hosts/host-status-file.js';
import { emptyRecord, type AgentRecord } from '../../../src/registry/record.js';
import type { ObservedAgent } from '../../../src/runtime/types.js';
import { liveStatus, type Looked } from '../../../src/cli/observed-status.js';

const NOW = Date.parse('2026-12-06T08:00:00Z');

function item(name: string, phase: string, extra: Partial<StatusItem> = {}): StatusItem {
  return {
    name,
    runtime: 'tmux',
    desiredState: 'Running',
    phase,
    ready: phase === 'Running',
    restarts: 0,
    specHash: null,
    source: null,
    handle: null,
    conditions: [{ type: 'Ready', status: 'True', reason: 'Running', message: '', lastTransitionTime: '' }],
    message: '',
    upToDate: true,
    lastExit: null,
    startedAt: null,
    host: 'here',
    details: {},
    listen: [],
    extensions: {},
    ...extra,
  };
}

function record(name: string, handle: string | null, phase: AgentRecord['phase'] = 'Running'): AgentRecord {
  return { ...emptyRecord(name, 'tmux', 'o', NOW - 300_000), handle, phase, ready: phase === 'Running' };
}

const seen = (name: string, handle: string, alive = true, code?: number): ObservedAgent => ({
  name,
  runtime: 'tmux',
  handle,
  hash: null,
  owner: 'o',
  alive,
  ...(code !== undefined ? { exit: { code, signal: null, at: NOW } } : {}),
});

function run(
  items: StatusItem[],
  records: AgentRecord[],
  look: Looked | undefined,
  o: { controllerRuns?: boolean; hosts?: HostStatus[] } = {},
): StatusItem[] {
  return liveStatus({
    items,
    records: new Map(records.map((r) => [r.name, r])),
    controllerRuns: o.controllerRuns ?? false,
    looked: new Map(look ? [['tmux', look]] : []),
    keyOf: (n) => (records.some((r) => r.name === n) ? 'tmux' : undefined),
    hosts: new Map((o.hosts ?? []).map((h) => [h.name, h])),
    now: NOW,
  });
}

describe('liveStatus', () => {
  it('a recorded Running agent whose session runs stays as recorded', () => {
    const [i] = run([item('a', 'Running')], [record('a', '$1')], { agents: new Map([['a', seen('a', '$1')]]) });
    expect(i).toMatchObject({ phase: 'Running', ready: true, message: '' });
  });

  it.each([
    ['the session is gone', new Map<string, ObservedAgent>(), /its session is gone/],
    ['another incarnation runs', new Map([['a', seen('a', '$9')]]), /its session is gone/],
    ['the pane is dead', new Map([['a', seen('a', '$1', false, 3)]]), /it exited with code 3/],
  ])('never Running or Ready when %s', (_, agents, why) => {
    const [i] = run([item('a', 'Running')], [record('a', '$1')], { agents });
    expect(i!.phase).toBe('Pending');
    expect(i!.ready).toBe(false);
    expect(i!.message).toMatch(why);
    expect(i!.message).toMatch(/no controller runs to restart it \(recorded Running 5m ago; run agentctl reconcile\)/);
    expect(i!.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'NotRunning' });
  });

  it('with a controller running, the records are shown as they are', () => {
    const [i] = run([item('a', 'Running')], [record('a', '$1')], { agents: new Map() }, { controllerRuns: true });
    expect(i!.phase).toBe('Running');
  });

  it('a runtime that could not be asked: the record, saying how old it is', () => {
    const [i] = run([item('a', 'Running', { message: 'up' })], [record('a', '$1')], { error: 'no answer' });
    expect(i).toMatchObject({
      phase: 'Running',
      message: 'up; no controller runs: recorded Running 5m ago (cannot look: no answer)',
    });
  });

  it('Stopped, Failed and never-started agents are left alone', () => {
    const items = [item('s', 'Stopped'), item('f', 'Failed'), item('n', 'Pending', { message: 'not reconciled yet' })];
    const out = run(items, [record('s', null, 'Stopped'), record('f', '$2', 'Failed')], { agents: new Map() });
    expect(out).toEqual(items);
  });

  it("an agent on an unreachable Host that was never reconciled is Unknown, with the host's fix", () => {
    const h: HostStatus = {
      name: 'gpu1',
      reachable: false,
      reason: 'HostUnreachable',
      fix: 'start sshd on 127.0.0.1 port 1',
      checks: [],
      changedAt: NOW,
      checkedAt: NOW,
    };
    const [i] = run(
      [item('t', 'Pending', { host: 'gpu1', message: 'not reconciled yet', ready: false })],
      [],
      undefined,
      {
        hosts: [h],
        controllerRuns: true,
      },
    );
    expect(i).toMatchObject({
      phase: 'Unknown',
      ready: false,
      message: 'host gpu1 unreachable: start sshd on 127.0.0.1 port 1',
    });
  });
});
