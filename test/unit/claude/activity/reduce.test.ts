// The activity reducer over sequences of hook and status events, and the event-line parser.
import { describe, expect, it } from 'vitest';
import { parseEventLine, splitLines, type ActivityEvent } from '../../../../src/claude/activity/events-parse.js';
import { reduceActivity, STARTING, type ActivityState } from '../../../../src/claude/activity/reduce.js';

const INC = 'inc1';
let clock = 0;
const h = (hook: Record<string, unknown>): ActivityEvent => ({
  kind: 'hook',
  at: ++clock * 1000,
  hook: { session_id: 's1', ...hook } as never,
});
const st = (status: Record<string, unknown>): ActivityEvent => ({ kind: 'status', at: ++clock * 1000, status });
const run = (events: ActivityEvent[]): ActivityState => events.reduce(reduceActivity, STARTING);

describe('reduceActivity', () => {
  it.each([
    { name: 'nothing yet', events: [], activity: 'Starting', waitingFor: null },
    { name: 'started', events: [h({ hook_event_name: 'SessionStart', source: 'startup' })], activity: 'Idle' },
    {
      name: 'a prompt',
      events: [h({ hook_event_name: 'SessionStart' }), h({ hook_event_name: 'UserPromptSubmit' })],
      activity: 'Working',
    },
    {
      name: 'a turn ends',
      events: [h({ hook_event_name: 'UserPromptSubmit' }), h({ hook_event_name: 'Stop' })],
      activity: 'Idle',
    },
    {
      name: 'permission asked',
      events: [
        h({ hook_event_name: 'UserPromptSubmit' }),
        h({
          hook_event_name: 'Notification',
          notification_type: 'permission_prompt',
          message: 'Claude needs your permission',
        }),
      ],
      activity: 'WaitingForInput',
      waitingFor: 'permission',
    },
    {
      name: 'permission granted, the tool ran',
      events: [
        h({ hook_event_name: 'Notification', notification_type: 'permission_prompt' }),
        h({ hook_event_name: 'PostToolUse' }),
      ],
      activity: 'Working',
    },
    {
      name: 'a question',
      events: [h({ hook_event_name: 'Notification', notification_type: 'elicitation_dialog' })],
      activity: 'WaitingForInput',
      waitingFor: 'question',
    },
    {
      name: 'idle reminder keeps a wait',
      events: [
        h({ hook_event_name: 'Notification', notification_type: 'permission_prompt' }),
        h({ hook_event_name: 'Notification', notification_type: 'idle_prompt' }),
      ],
      activity: 'WaitingForInput',
      waitingFor: 'permission',
    },
    {
      name: 'older build: permission message without a type',
      events: [h({ hook_event_name: 'Notification', message: 'Claude needs your permission to use Bash' })],
      activity: 'WaitingForInput',
      waitingFor: 'permission',
    },
    {
      name: 'manual compact then idle',
      events: [
        h({ hook_event_name: 'PreCompact', trigger: 'manual' }),
        h({ hook_event_name: 'SessionStart', source: 'compact' }),
      ],
      activity: 'Idle',
    },
    {
      name: 'auto compact mid-turn goes on working',
      events: [
        h({ hook_event_name: 'UserPromptSubmit' }),
        h({ hook_event_name: 'PreCompact', trigger: 'auto' }),
        h({ hook_event_name: 'SessionStart', source: 'compact' }),
      ],
      activity: 'Working',
    },
    { name: 'ended', events: [h({ hook_event_name: 'SessionEnd', reason: 'prompt_input_exit' })], activity: 'Exited' },
    {
      name: '/clear ends one session',
      events: [h({ hook_event_name: 'SessionEnd', reason: 'clear' })],
      activity: 'Starting',
    },
    {
      name: 'logged out',
      events: [h({ hook_event_name: 'SessionEnd', reason: 'logout' })],
      activity: 'WaitingForInput',
      waitingFor: 'login',
    },
    { name: 'an unknown hook is no change', events: [h({ hook_event_name: 'SubagentStop' })], activity: 'Starting' },
  ])('$name → $activity', ({ events, activity, waitingFor }) => {
    const s = run(events);
    expect(s.activity).toBe(activity);
    expect(s.waitingFor).toBe(waitingFor ?? null);
  });

  it('since moves only when the activity changes', () => {
    const a = run([h({ hook_event_name: 'UserPromptSubmit' })]);
    const b = reduceActivity(a, h({ hook_event_name: 'PostToolUse' }));
    expect(b.since).toBe(a.since);
    const c = reduceActivity(b, h({ hook_event_name: 'Stop' }));
    expect(c.since).toBeGreaterThan(b.since!);
  });

  it('ids follow /clear and resume; the status line gives model, cost and context', () => {
    let s = run([
      h({ hook_event_name: 'SessionStart', session_id: 'a', transcript_path: '/t/a.jsonl' }),
      st({
        session_id: 'a',
        model: { id: 'claude-x' },
        cost: { total_cost_usd: 0.5 },
        context_window: { used_percentage: 40 },
      }),
    ]);
    expect([s.sessionId, s.transcriptPath, s.model, s.costUsd, s.contextPercent]).toEqual([
      'a',
      '/t/a.jsonl',
      'claude-x',
      0.5,
      40,
    ]);
    s = reduceActivity(
      s,
      h({ hook_event_name: 'SessionStart', source: 'clear', session_id: 'b', transcript_path: '/t/b.jsonl' }),
    );
    expect([s.sessionId, s.transcriptPath, s.contextPercent]).toEqual(['b', '/t/b.jsonl', null]);
    // The status file still holds the old session's record: it does not bring its 40 % back.
    s = reduceActivity(s, {
      kind: 'status',
      at: s.statusAt!,
      status: { session_id: 'a', context_window: { used_percentage: 40 } },
    });
    expect(s.contextPercent).toBeNull();
  });
});

describe('parseEventLine', () => {
  it.each([
    { line: `h ${INC} 1700000000 {"hook_event_name":"Stop","session_id":"s"}`, kind: 'hook', at: 1700000000000 },
    { line: `s ${INC} 1700000000 {"session_id":"s","cost":{"total_cost_usd":1}}`, kind: 'status' },
    { line: `h other 1700000000 {"hook_event_name":"Stop"}`, kind: undefined, why: 'another incarnation' },
    { line: `h ${INC} 1700000000 {"hook_event_name":"Sto`, kind: undefined, why: 'truncated before the name ends' },
    {
      line: `h ${INC} 1700000000 {"session_id":"s","hook_event_name":"UserPromptSubmit","prompt":"aaaa`,
      kind: 'hook',
      why: 'cut in the prompt',
    },
    { line: `garbage \u0000\u0001`, kind: undefined },
    { line: ``, kind: undefined },
    { line: `h ${INC} 1700000000 []`, kind: undefined, why: 'not an object' },
    { line: `s ${INC} 1700000000 {"cost":{"total_cost_usd":"free"}}`, kind: undefined, why: 'wrong type' },
  ])('$line → $kind', ({ line, kind, at }) => {
    const e = parseEventLine(line, INC);
    expect(e?.kind).toBe(kind);
    if (at !== undefined) expect(e?.at).toBe(at);
  });

  it('splitLines keeps a line still being written', () => {
    expect(splitLines('', 'a\nb')).toEqual({ lines: ['a'], partial: 'b' });
    expect(splitLines('b', 'c\n')).toEqual({ lines: ['bc'], partial: '' });
    expect(splitLines('x', 'y')).toEqual({ lines: [], partial: 'xy' });
  });
});

describe('PermissionRequest (agentctl approve/deny hook)', () => {
  it('starts the wait for permission at once; the later Notification keeps its since', () => {
    const at = (s: number, hook: Record<string, unknown>) => ({
      kind: 'hook' as const,
      at: s * 1000,
      hook: { session_id: 'x', ...hook } as never,
    });
    let s = reduceActivity(STARTING, at(1, { hook_event_name: 'UserPromptSubmit' }));
    s = reduceActivity(s, at(2, { hook_event_name: 'PermissionRequest', tool_name: 'Bash' }));
    expect(s).toMatchObject({
      activity: 'WaitingForInput',
      waitingFor: 'permission',
      message: 'Claude wants to use Bash',
      since: 2000,
    });
    s = reduceActivity(
      s,
      at(8, {
        hook_event_name: 'Notification',
        notification_type: 'permission_prompt',
        message: 'Claude needs your permission',
      }),
    );
    expect(s).toMatchObject({ activity: 'WaitingForInput', since: 2000, message: 'Claude needs your permission' });
  });
});
