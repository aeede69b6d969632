// Requests applied to records (pure).
import { describe, expect, it } from 'vitest';
import { applyRequest, type AgentRequest } from '../../../src/engine/requests.js';
import { emptyRecord, withEvent, MAX_EVENTS, type AgentRecord } from '../../../src/registry/record.js';
import type { DesiredAgent } from '../../../src/spec/load.js';
import type { ObservedAgent } from '../../../src/runtime/types.js';
import { AgentSpecBody } from '../../../src/spec/schema.js';

const OWNER = 'host:abc';
const desired = (extra: Record<string, unknown> = {}, hash = 'h1'): DesiredAgent => {
  const spec = AgentSpecBody.parse({ command: ['sleep', '1'], ...extra });
  return { name: 'a', file: 'a.yaml', line: 1, hash, spec, document: { apiVersion: 'agentctl/v1', kind: 'Agent', metadata: { name: 'a', labels: {}, annotations: {} }, spec } };
};
const rec = (o: Partial<AgentRecord> = {}): AgentRecord => ({ ...emptyRecord('a', 'tmux', OWNER, 0), specHash: 'h1', handle: 't1', phase: 'Running', ready: true, startedAt: 1, ...o });
const obs = (o: Partial<ObservedAgent> = {}): ObservedAgent => ({ name: 'a', runtime: 'tmux', handle: 't1', hash: 'h1', owner: OWNER, alive: true, ...o });

describe('applyRequest', () => {
  const req = (type: AgentRequest['type'], stop = false): AgentRequest => ({ type, names: ['a'], stop, at: 1000, from: 'me' });
  it('restart stamps the request time', () => {
    const r = applyRequest(rec(), req('restart'));
    expect(r.restartRequestedAt).toBe(1000);
    expect(r.events.at(-1)!.reason).toBe('RestartRequested');
  });
  it('suspend and resume toggle reconciling, with or without stopping', () => {
    const s = applyRequest(rec(), req('suspend', true));
    expect([s.suspended, s.suspendStop]).toEqual([true, true]);
    const r = applyRequest(s, req('resume'));
    expect([r.suspended, r.suspendStop]).toEqual([false, false]);
    expect(r.events.map((e) => e.reason)).toEqual(['Suspended', 'Resumed']);
  });
});
