// What `get hosts` shows: address, reachability, tmux, agents per phase and the fix line (pure).
import { describe, expect, it } from 'vitest';
import { hostItems, phaseSummary } from '../../../../../controllers/agent/hosts/host-items.js';
import type { HostStatus } from '../../../../../src/hosts/host-status-file.js';
import type { AgentRecord } from '../../../../../src/registry/record.js';
import type { SpecSet } from '../../../../../src/spec/load.js';

const host = (name: string, spec: Record<string, unknown>) =>
  [name, { name, file: 'h.yaml', line: 1, document: { spec: { slurm: false, ...spec } } }] as const;
const specs = {
  hosts: new Map([
    host('gpu1', { ssh: { host: '10.0.0.1', port: 22, user: 'agent', jump: [] } }),
    host('gpu2', { ssh: { host: 'gpu2', port: 2222, jump: ['login'] }, slurm: true }),
    host('lab', {}),
  ]),
  agents: new Map([['new', { name: 'new', remoteHost: 'gpu1' }]]),
} as unknown as SpecSet;
const records = new Map(
  [
    { name: 'a', host: 'gpu1', phase: 'Running' },
    { name: 'b', host: 'gpu1', phase: 'Running' },
    { name: 'c', host: 'gpu2', phase: 'Unknown' },
    { name: 'd', phase: 'Running' },
  ].map((r) => [r.name, r as AgentRecord]),
);
const statuses = new Map<string, HostStatus>([
  [
    'gpu1',
    {
      name: 'gpu1',
      reachable: true,
      latencyMs: 7,
      tmuxVersion: 'tmux 3.3a',
      checks: [{ name: 'disk', ok: false, message: 'only 10 MB free', fix: 'free disk space' }],
      changedAt: 1,
      checkedAt: 2,
    },
  ],
  [
    'gpu2',
    { name: 'gpu2', reachable: false, fix: 'start sshd on gpu2 port 2222', checks: [], changedAt: 1, checkedAt: 3 },
  ],
]);

describe('hostItems', () => {
  it('summarises each Host', () => {
    const got = hostItems(specs, statuses, records).map((i) => [
      i.name,
      i.address,
      i.reachable,
      i.latencyMs,
      i.tmuxVersion,
      i.agents,
      i.message,
    ]);
    expect(got).toEqual([
      [
        'gpu1',
        'agent@10.0.0.1:22',
        'True',
        7,
        'tmux 3.3a',
        { Running: 2, Pending: 1 },
        'only 10 MB free: free disk space',
      ],
      ['gpu2', 'gpu2:2222', 'False', null, null, { Unknown: 1 }, 'start sshd on gpu2 port 2222'],
      ['lab', null, '-', null, null, {}, 'no ssh: driven by the controller on that host'],
    ]);
  });

  it.each([
    [{}, '-'],
    [{ Unknown: 1, Running: 2 }, '2 Running, 1 Unknown'],
    [{ Weird: 1, Pending: 3 }, '3 Pending, 1 Weird'],
  ])('phaseSummary(%j)', (agents, want) => {
    expect(phaseSummary(agents)).toBe(want);
  });
});
