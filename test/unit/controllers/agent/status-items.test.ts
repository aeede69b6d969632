// What get/describe/the fleet page show: the claude block, listen and extensions (pure).
import { describe, expect, it } from 'vitest';
import { emptyRecord, type AgentRecord } from '../../../../src/registry/record.js';
import type { DesiredAgent, SpecSet } from '../../../../src/spec/load.js';
import { AgentDocument } from '../../../../src/spec/schema.js';
import { emptyClaudeRecord } from '../../../../controllers/agent/session/claude-status.js';
import { statusItems } from '../../../../controllers/agent/status-items.js';

function desired(name: string, spec: Record<string, unknown>): DesiredAgent {
  const document = AgentDocument.parse({ apiVersion: 'agentctl/v1', kind: 'Agent', metadata: { name }, spec });
  return { name, file: `${name}.yaml`, line: 1, document, spec: document.spec, hash: `hash-${name}` };
}
function specs(agents: DesiredAgent[]): SpecSet {
  return {
    specsDir: '/s',
    exists: true,
    fileCount: agents.length,
    agents: new Map(agents.map((a) => [a.name, a])),
    elsewhere: new Map(),
    errors: [],
    invalidFiles: new Set(),
    invalidNames: new Map(),
    hosts: new Map(),
  };
}
const rec = (name: string, o: Partial<AgentRecord> = {}): AgentRecord => ({
  ...emptyRecord(name, 'tmux', 'me', 0),
  phase: 'Running',
  ...o,
});

describe('statusItems', () => {
  it.each([
    {
      case: 'running, from its hooks',
      phase: 'Running',
      handle: 'h',
      hooks: true,
      want: ['WaitingForInput', 'permission'],
    },
    {
      case: 'exited: not what its hooks last said',
      phase: 'CrashLoopBackOff',
      handle: 'h',
      hooks: true,
      want: ['Exited', null],
    },
    { case: 'stopped', phase: 'Stopped', handle: null, hooks: true, want: ['Exited', null] },
    { case: 'no hooks', phase: 'Running', handle: 'h', hooks: false, want: ['WaitingForInput', 'permission'] },
  ])('activity: $case', ({ phase, handle, hooks, want }) => {
    const s = specs([desired('c', { claude: {} })]);
    const claude = {
      ...emptyClaudeRecord(),
      activity: 'WaitingForInput' as const,
      waitingFor: 'permission' as const,
      activitySince: 0,
      hooks: hooks ? { incarnation: 'i', handle: 'h', events: 'e', status: 's' } : null,
    };
    const item = statusItems(s, new Map([['c', rec('c', { claude, phase: phase as 'Running', handle })]]), 'h')[0]!;
    expect([item.claude!.activity, item.claude!.waitingFor]).toEqual(want);
    if (phase === 'Running') expect(item.claude!.activitySince).toBe('1970-01-01T00:00:00.000Z');
  });

  it('a Claude agent shows model, session, context and last activity from its record', () => {
    const s = specs([desired('c', { claude: { model: 'opus' } })]);
    const claude = {
      ...emptyClaudeRecord(),
      model: 'claude-opus-4-5',
      sessionId: 'abc',
      contextPercent: 42.5,
      lastActivity: '2026-11-29T10:00:00.000Z',
      source: 'transcript' as const,
    };
    expect(statusItems(s, new Map([['c', rec('c', { claude })]]), 'h')[0]!.claude).toEqual({
      model: 'claude-opus-4-5',
      sessionId: 'abc',
      contextPercent: 42.5,
      lastActivity: '2026-11-29T10:00:00.000Z',
      activity: 'Unknown',
      waitingFor: null,
      waitingMessage: null,
      activitySince: null,
      costUsd: null,
      transcriptPath: null,
    });
  });

  it("a Claude agent not read yet shows its spec's model and nulls; other agents have no claude block", () => {
    const s = specs([desired('c', { claude: { model: 'sonnet' } }), desired('p', { command: ['sh'] })]);
    const [c, p] = statusItems(s, new Map(), 'h');
    expect(c!.claude).toEqual({
      model: 'sonnet',
      sessionId: null,
      contextPercent: null,
      lastActivity: null,
      activity: 'Unknown',
      waitingFor: null,
      waitingMessage: null,
      activitySince: null,
      costUsd: null,
      transcriptPath: null,
    });
    expect(p!.claude).toBeUndefined();
  });

  it('listen and extensions come from the spec, else from the applied spec, else are empty', () => {
    const s = specs([
      desired('a', { command: ['sh'], listen: [{ port: 8080, name: 'http' }], extensions: { team: { owner: 'x' } } }),
    ]);
    const gone = rec('g', {
      appliedSpec: { command: ['sh'], listen: [{ port: 9, proto: 'udp' }], extensions: { k: 1 } },
    });
    const items = statusItems(
      s,
      new Map([
        ['g', gone],
        ['n', rec('n')],
      ]),
      'h',
    );
    expect(items.map((i) => [i.name, i.listen, i.extensions])).toEqual([
      ['a', [{ port: 8080, proto: 'tcp', name: 'http' }], { team: { owner: 'x' } }],
      ['g', [{ port: 9, proto: 'udp' }], { k: 1 }],
      ['n', [], {}],
    ]);
  });
});
