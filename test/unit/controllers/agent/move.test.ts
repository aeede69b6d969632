// Moves between Hosts (pure): when a changed placement is a move, what the record says after it, and the fence note.
import { describe, expect, it } from 'vitest';
import { needsReconcile } from '../../../../controllers/agent/drift.js';
import { fenceNote, moveOf, placeOn } from '../../../../controllers/agent/move.js';
import { emptyRecord, type AgentRecord } from '../../../../src/registry/record.js';
import type { DesiredAgent } from '../../../../src/spec/load.js';
import { AgentSpecBody } from '../../../../src/spec/schema.js';

const OWNER = 'ctl:abc';
const desired = (remoteHost?: string, extra: Record<string, unknown> = {}): DesiredAgent => {
  const spec = AgentSpecBody.parse({ command: ['sleep', '1'], ...(remoteHost ? { host: remoteHost } : {}), ...extra });
  return {
    name: 'a',
    file: 'a.yaml',
    line: 1,
    hash: 'h1',
    spec,
    document: { apiVersion: 'agentctl/v1', kind: 'Agent', metadata: { name: 'a', labels: {}, annotations: {} }, spec },
    ...(remoteHost ? { remoteHost } : {}),
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

describe('moveOf', () => {
  const cases: [string, DesiredAgent | undefined, AgentRecord | undefined, ReturnType<typeof moveOf>][] = [
    ['same Host', desired('h1'), rec({ host: 'h1' }), undefined],
    ['this machine both times', desired(), rec(), undefined],
    ['h1 → h2', desired('h2'), rec({ host: 'h1' }), { from: 'h1', to: 'h2' }],
    ['this machine → h2', desired('h2'), rec(), { from: undefined, to: 'h2' }],
    ['h1 → this machine', desired(), rec({ host: 'h1' }), { from: 'h1', to: undefined }],
    ['suspended: never moved', desired('h2'), rec({ host: 'h1', suspended: true }), undefined],
    ['spec gone or invalid (no desired): never moved', undefined, rec({ host: 'h1' }), undefined],
    ['no record: a first start, not a move', desired('h2'), undefined, undefined],
  ];
  it.each(cases)('%s', (_, d, r, want) => expect(moveOf(d, r)).toEqual(want));
});

describe('placeOn', () => {
  it('points the record at the new place with no incarnation, keeping counts and the Claude session', () => {
    const r = rec({ host: 'h1', restarts: 3, health: null, claude: null });
    placeOn(r, desired('h2'));
    expect(r).toMatchObject({ host: 'h2', handle: null, startedAt: null, restarts: 3, runtime: 'tmux' });
    placeOn(r, desired());
    expect('host' in r).toBe(false);
  });
});

describe('fenceNote', () => {
  it('is absent with nothing fenced and names every fenced copy', () => {
    expect(fenceNote(rec(), 'me')).toBeUndefined();
    expect(fenceNote(rec({ fenced: [] }), 'me')).toBeUndefined();
    const note = fenceNote(
      rec({
        fenced: [
          { runtime: 'tmux', host: 'h2', handle: 'x1', since: 1, reason: 'refused' },
          { runtime: 'tmux', handle: null, since: 2, reason: 'gone' },
        ],
      }),
      'me',
    );
    expect(note).toBe(
      'fenced: x1 on h2, a copy on me did not answer when the agent moved; stopped as soon as it answers, never adopted',
    );
  });
});

describe('needsReconcile with placements', () => {
  const o = { name: 'a', runtime: 'tmux' as const, handle: 't1', hash: 'h1', owner: OWNER, alive: true };
  it('a moved spec and a fenced copy are drift; a suspended agent is not moved', () => {
    expect(needsReconcile(desired('h1'), rec({ host: 'h1' }), o, OWNER)).toBe(false);
    expect(needsReconcile(desired('h2'), rec({ host: 'h1' }), o, OWNER)).toBe(true);
    expect(needsReconcile(desired('h2'), rec({ host: 'h1', suspended: true }), o, OWNER)).toBe(false);
    const fenced = rec({ host: 'h1', fenced: [{ runtime: 'tmux', host: 'h2', handle: 'x', since: 1, reason: 'r' }] });
    expect(needsReconcile(desired('h1'), fenced, o, OWNER)).toBe(true);
  });
});
