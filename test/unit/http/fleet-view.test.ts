// The fleet's items and details from specs and records (pure), and the adapter the controller uses.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentDocument } from '../../../src/spec/schema.js';
import type { DesiredAgent, SpecSet } from '../../../src/spec/load.js';
import { emptyRecord, type AgentRecord } from '../../../src/registry/record.js';
import { fleetDetail, fleetItem, fleetItems, type FleetState } from '../../../src/http/fleet-view.js';
import { createFleetSource } from '../../../src/http/fleet-adapter.js';
import { removeTree } from '../../helpers/remove-tree.js';

function desired(name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): DesiredAgent {
  const document = AgentDocument.parse({ apiVersion: 'agentctl/v1', kind: 'Agent', metadata: { name, labels }, spec });
  return { name, file: `${name}.yaml`, line: 1, document, spec: document.spec, hash: `hash-${name}` };
}

function state(agents: DesiredAgent[], records: AgentRecord[] = [], invalid: [string, string][] = []): FleetState {
  const specs: SpecSet = {
    specsDir: '/specs',
    exists: true,
    fileCount: agents.length,
    agents: new Map(agents.map((a) => [a.name, a])),
    elsewhere: new Map(),
    errors: [],
    invalidFiles: new Set(invalid.map(([, f]) => f)),
    invalidNames: new Map(invalid),
    hosts: new Map(),
  };
  return { specs, records: new Map(records.map((r) => [r.name, r])), host: 'h1' };
}

const running = (name: string): AgentRecord => ({
  ...emptyRecord(name, 'tmux', 'me', 0),
  phase: 'Running',
  ready: true,
  specHash: `hash-${name}`,
  restarts: 2,
  message: 'running',
  events: [
    { time: '2026-11-29T10:00:00.000Z', type: 'Normal', reason: 'Started', message: `started ${name}`, count: 1 },
  ],
});

describe('fleet view', () => {
  const s = state(
    [
      desired('b', { command: ['sleep', '1'] }, { team: 'x' }),
      desired('a', {
        command: ['sh', '-c', 'echo $API_TOKEN'],
        env: { API_TOKEN: 'hunter22', MODE: 'fast' },
        envFiles: ['~/.a.env'],
      }),
    ],
    [running('a'), running('gone')],
    [['broken', 'broken.yaml']],
  );

  it('lists specs, records and invalid files by name, each with its labels', () => {
    const items = fleetItems(s);
    expect(items.map((i) => [i.name, i.phase, i.desiredState])).toEqual([
      ['a', 'Running', 'Running'],
      ['b', 'Pending', 'Running'],
      ['broken', 'Unknown', 'Unknown'],
      ['gone', 'Running', 'Absent'],
    ]);
    expect(items.find((i) => i.name === 'b')!.labels).toEqual({ team: 'x' });
    expect(items.find((i) => i.name === 'gone')!.labels).toEqual({});
  });

  it('builds one item exactly as the whole list does', () => {
    for (const i of fleetItems(s)) {
      const one = fleetItem(s, i.name)!;
      expect({ ...one, conditions: one.conditions.map((c) => c.type) }).toEqual({
        ...i,
        conditions: i.conditions.map((c) => c.type),
      });
    }
    expect(fleetItem(s, 'nope')).toBeUndefined();
  });

  it('details an agent: spec summary with secrets redacted by key, and its events', () => {
    const d = fleetDetail(s, 'a')!;
    expect(d.item.restarts).toBe(2);
    expect(d.spec).toMatchObject({
      command: "sh -c 'echo $API_TOKEN'",
      env: { API_TOKEN: '<redacted>', MODE: 'fast' },
      envFiles: ['~/.a.env'],
      file: 'a.yaml',
    });
    expect(JSON.stringify(d)).not.toContain('hunter22');
    expect(d.events.map((e) => e.reason)).toEqual(['Started']);
    expect(fleetDetail(s, 'gone')!.spec).toBeNull();
    expect(fleetDetail(s, 'nope')).toBeUndefined();
  });

  it('describes a claude agent in words', () => {
    const c = fleetDetail(state([desired('c', { claude: { model: 'opus', session: 'continue' } })]), 'c')!;
    expect(c.spec!.command).toBe('claude (claude) session continue, model opus');
  });
});

describe('createFleetSource', () => {
  let dir: string | undefined;
  afterEach(() => dir && removeTree(dir));

  it("reads the current state on every call, tells listeners of changes, and knows each agent's secrets", async () => {
    dir = mkdtempSync(join(tmpdir(), 'agentctl-fleet-'));
    writeFileSync(join(dir, 'a.env'), 'DB_URL=postgres://u:pw-from-file@db/x\nPLAIN=visible-too\n');
    let current = state([
      desired('a', { command: ['true'], env: { API_TOKEN: 'hunter22', MODE: 'fast' }, envFiles: ['~/a.env'] }),
    ]);
    const fleet = createFleetSource({
      state: () => current,
      logs: async (name, n) => `${name}:${n}`,
      metrics: async () => ({ contentType: 'text/plain', body: 'm 1\n' }),
      ready: () => true,
      home: dir,
    });
    const heard: (readonly string[] | null)[] = [];
    const off = fleet.subscribe((names) => heard.push(names));
    expect(fleet.items().map((i) => i.name)).toEqual(['a']);
    current = state([desired('a', { command: ['true'] }), desired('b', { command: ['true'] })]);
    fleet.changed(['b']);
    fleet.changed();
    off();
    fleet.changed(['a']);
    expect(heard).toEqual([['b'], null]);
    expect(fleet.items().map((i) => i.name)).toEqual(['a', 'b']);
    expect(await fleet.logs('a', 5)).toBe('a:5');
    expect(fleet.healthy()).toBe(true);

    current = state([
      desired('a', { command: ['true'], env: { API_TOKEN: 'hunter22', MODE: 'fast' }, envFiles: ['~/a.env'] }),
    ]);
    expect([...(await fleet.secrets('a'))].sort()).toEqual([
      'hunter22',
      'postgres://u:pw-from-file@db/x',
      'visible-too',
    ]);
    expect(await fleet.secrets('unknown')).toEqual([]);
    current = state([desired('a', { command: ['true'], envFiles: ['~/missing.env'] })]);
    await expect(fleet.secrets('a')).rejects.toThrow(/missing\.env cannot be read/);
  });
});
