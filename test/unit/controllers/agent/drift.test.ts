// Resync drift filter (pure): which agents need a reconcile.
import { describe, expect, it } from 'vitest';
import { needsReconcile } from '../../../../controllers/agent/drift.js';
import { emptyRecord, type AgentRecord } from '../../../../src/registry/record.js';
import type { DesiredAgent } from '../../../../src/spec/load.js';
import type { ObservedAgent } from '../../../../src/runtime/types.js';
import { AgentSpecBody } from '../../../../src/spec/schema.js';

const OWNER = 'host:abc';
const desired = (extra: Record<string, unknown> = {}, hash = 'h1'): DesiredAgent => {
  const spec = AgentSpecBody.parse({ command: ['sleep', '1'], ...extra });
  return {
    name: 'a',
    file: 'a.yaml',
    line: 1,
    hash,
    spec,
    document: { apiVersion: 'agentctl/v1', kind: 'Agent', metadata: { name: 'a', labels: {}, annotations: {} }, spec },
  };
};
const rec = (o: Partial<AgentRecord> = {}): AgentRecord => ({
  ...emptyRecord('a', 'tmux', OWNER, 0),
  specHash: 'h1',
  handle: 't1',
  phase: 'Running',
  ready: true,
  startedAt: 1,
  ...o,
});
const obs = (o: Partial<ObservedAgent> = {}): ObservedAgent => ({
  name: 'a',
  runtime: 'tmux',
  handle: 't1',
  hash: 'h1',
  owner: OWNER,
  alive: true,
  ...o,
});

describe('needsReconcile (resync drift filter)', () => {
  it.each([
    ['in sync', desired(), rec(), obs(), false],
    ['never reconciled', desired(), undefined, undefined, true],
    ['owned session without record or spec', undefined, undefined, obs(), true],
    ['foreign session without record or spec', undefined, undefined, obs({ owner: 'other' }), false],
    ['spec removed', undefined, rec(), obs(), true],
    ['session killed by hand', desired(), rec(), undefined, true],
    ['hash changed on the live object', desired(), rec(), obs({ hash: 'zz' }), true],
    ['spec changed', desired({}, 'h2'), rec(), obs(), true],
    ['another incarnation', desired(), rec(), obs({ handle: 't2' }), true],
    ['dead, exit not recorded', desired(), rec(), obs({ alive: false }), true],
    [
      'dead, exit recorded, backing off',
      desired(),
      rec({ phase: 'CrashLoopBackOff', lastExit: { code: 1, signal: null, at: 2, handle: 't1' } }),
      obs({ alive: false }),
      false,
    ],
    ['stopped and gone', desired({ state: 'Stopped' }), rec({ phase: 'Stopped', handle: null }), undefined, false],
    ['stopped but running', desired({ state: 'Stopped' }), rec({ phase: 'Stopped', handle: null }), obs(), true],
    ['suspended, running', desired(), rec({ suspended: true, phase: 'Suspended' }), obs(), false],
    [
      'suspended with stop, running',
      desired(),
      rec({ suspended: true, suspendStop: true, phase: 'Suspended' }),
      obs(),
      true,
    ],
    ['succeeded and gone', desired(), rec({ phase: 'Succeeded', handle: null }), undefined, false],
  ] as const)('%s', (_n, d, r, o, want) => {
    expect(needsReconcile(d, r, o, OWNER)).toBe(want);
  });
});
