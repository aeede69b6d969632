// What the session hub reads for an agent, from its record and spec (pure).
import { describe, expect, it } from 'vitest';
import { emptyRecord, type AgentRecord } from '../../../../../src/registry/record.js';
import type { DesiredAgent } from '../../../../../src/spec/load.js';
import { AgentDocument } from '../../../../../src/spec/schema.js';
import { CLAUDE_STATUS_EVERY_MS, sessionNeed, startupPending } from '../../../../../controllers/agent/session/needs.js';

const HOME = '/home/u';
function desired(spec: Record<string, unknown>): DesiredAgent {
  const document = AgentDocument.parse({ apiVersion: 'agentctl/v1', kind: 'Agent', metadata: { name: 'a' }, spec });
  return { name: 'a', file: 'a.yaml', line: 1, document, spec: document.spec, hash: 'h' };
}
const startup = (
  stage: 'accepting' | 'waiting' | 'commands' | 'done',
  handle = 'h1',
  lastKeysAt: number | null = null,
) => ({
  handle,
  startedAt: 1,
  stage,
  answered: {},
  lastAnswer: null,
  readyAt: null,
  commandsSent: 0,
  lastKeysAt,
  outcome: null,
});
const rec = (o: Partial<AgentRecord> = {}): AgentRecord => ({
  ...emptyRecord('a', 'tmux', 'me', 0),
  handle: 'h1',
  phase: 'Running',
  ...o,
});

describe('sessionNeed', () => {
  const plain = desired({ command: ['sh'] });
  const claude = desired({
    claude: { model: 'opus', context: { triggerAtPercent: 80, checkIntervalSeconds: 5 } },
    workdir: '~/w',
  });
  it.each([
    { case: 'no record', r: undefined, d: plain, want: undefined },
    {
      case: 'not running',
      r: rec({ phase: 'CrashLoopBackOff', startup: startup('accepting') }),
      d: plain,
      want: undefined,
    },
    { case: 'a plain agent with no start-up', r: rec(), d: plain, want: undefined },
    {
      case: 'start-up answering prompts: pane',
      r: rec({ startup: startup('accepting', 'h1', 42) }),
      d: plain,
      want: { key: 'tmux', handle: 'h1', pane: { after: 42 } },
    },
    {
      case: 'start-up waiting for the pattern: pane',
      r: rec({ startup: startup('waiting') }),
      d: plain,
      want: { key: 'tmux', handle: 'h1', pane: { after: 0 } },
    },
    {
      case: 'typing commands: the clock, not the pane',
      r: rec({ startup: startup('commands') }),
      d: plain,
      want: undefined,
    },
    {
      case: 'start-up of an older incarnation',
      r: rec({ startup: startup('accepting', 'h0') }),
      d: plain,
      want: undefined,
    },
    {
      case: 'a Claude agent: its transcript every checkIntervalSeconds',
      r: rec(),
      d: claude,
      want: {
        key: 'tmux',
        handle: 'h1',
        claude: { dirs: ['/home/u/.claude/projects/-home-u-w'], model: 'opus', everyMs: 5000 },
      },
    },
  ])('$case', ({ r, d, want }) => {
    expect(sessionNeed(r, d, HOME)).toEqual(want);
  });

  it('a Claude agent without claude.context is read for its status, at the default period', () => {
    expect(sessionNeed(rec(), desired({ claude: {} }), HOME)?.claude).toEqual({
      dirs: ['/home/u/.claude/projects/-home-u-agents-a'],
      everyMs: CLAUDE_STATUS_EVERY_MS,
    });
  });

  it('a Claude agent whose spec is gone is read from its applied spec', () => {
    expect(
      sessionNeed(rec({ appliedSpec: { claude: { model: 'x' }, workdir: '/srv/w' } }), undefined, HOME)?.claude?.dirs,
    ).toEqual(['/home/u/.claude/projects/-srv-w']);
  });

  it('startupPending: only the current incarnation, only before done', () => {
    expect(startupPending(rec({ startup: startup('commands') }))).toBe(true);
    expect(startupPending(rec({ startup: startup('done') }))).toBe(false);
    expect(startupPending(rec({ startup: startup('waiting', 'h0') }))).toBe(false);
    expect(startupPending(rec())).toBe(false);
  });
});
