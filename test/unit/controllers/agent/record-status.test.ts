// recordStatus: the phase and readiness a step leaves in the record, for suspended agents especially.
import { describe, expect, it } from 'vitest';
import type { AgentDeps } from '../../../../controllers/agent/deps.js';
import type { Plan } from '../../../../controllers/agent/plan.js';
import { recordStatus } from '../../../../controllers/agent/record-status.js';
import { emptyRecord, type AgentRecord, type Phase } from '../../../../src/registry/record.js';
import type { ObservedAgent } from '../../../../src/runtime/types.js';

const OWNER = 'testhost:0123456789';
const T0 = 1_700_000_000_000;
const HASH = 'a'.repeat(64);
// recordStatus reads only the clock of its dependencies.
const deps = { now: () => T0 } as Pick<AgentDeps, 'now'> as AgentDeps;

const record = (r: Partial<AgentRecord> = {}): AgentRecord => ({
  ...emptyRecord('a', 'tmux', OWNER, T0),
  handle: 'h1',
  specHash: HASH,
  startedAt: T0,
  phase: 'Running',
  ready: true,
  ...r,
});
const observed = (o: Partial<ObservedAgent> = {}): ObservedAgent => ({
  name: 'a',
  runtime: 'tmux',
  handle: 'h1',
  hash: HASH,
  owner: OWNER,
  alive: true,
  startedAt: T0,
  ...o,
});
const suspendedPlan: Plan = {
  action: 'none',
  reason: 'Suspended',
  message: 'reconciling suspended (agentctl resume to continue)',
  phase: 'Suspended',
};

describe('recordStatus', () => {
  it.each<[string, AgentRecord, ObservedAgent | undefined, Plan, Phase, boolean]>([
    [
      'suspended and running: as ready as it was',
      record({ suspended: true }),
      observed(),
      suspendedPlan,
      'Suspended',
      true,
    ],
    [
      'suspended and running, but another incarnation than the record knows',
      record({ suspended: true }),
      observed({ handle: 'h2' }),
      suspendedPlan,
      'Suspended',
      false,
    ],
    [
      'suspended and exited',
      record({ suspended: true }),
      observed({ alive: false }),
      suspendedPlan,
      'Suspended',
      false,
    ],
    [
      'suspended with --stop, gone',
      record({ suspended: true, suspendStop: true, handle: null }),
      undefined,
      suspendedPlan,
      'Suspended',
      false,
    ],
    [
      'suspended Slurm job still queued',
      record({ suspended: true, runtime: 'slurm' }),
      observed({ runtime: 'slurm', pending: true }),
      suspendedPlan,
      'Suspended',
      false,
    ],
    [
      'running in sync',
      record(),
      observed(),
      { action: 'none', reason: 'InSync', message: '', phase: 'Running' },
      'Running',
      true,
    ],
  ])('%s', (_, rec, o, p, phase, ready) => {
    const r = structuredClone(rec);
    recordStatus(deps, r, p, phase, undefined, o, undefined);
    expect(r.phase).toBe(phase);
    expect(r.ready).toBe(ready);
    expect(r.conditions.find((c) => c.type === 'Ready')?.status).toBe(ready ? 'True' : 'False');
  });

  it('a failed step is never ready', () => {
    const r = record({ suspended: true });
    recordStatus(deps, r, suspendedPlan, 'Suspended', undefined, observed(), 'tmux did not answer');
    expect(r.ready).toBe(false);
    expect(r.message).toBe('none failed: tmux did not answer');
  });
});
