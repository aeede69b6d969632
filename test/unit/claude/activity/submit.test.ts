// Whether a typed prompt was taken (UserPromptSubmit after T with the text), and what send does in each activity.
import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../../../../src/claude/activity/events-parse.js';
import { promptSubmitted, typeVerdict } from '../../../../src/claude/activity/submit.js';

const hook = (name: string, atS: number, extra: Record<string, unknown> = {}): ActivityEvent => ({
  kind: 'hook',
  at: atS * 1000,
  hook: { hook_event_name: name, ...extra },
});

describe('promptSubmitted', () => {
  const T = 1_700_000_000_500; // half-way through second 1700000000
  it.each<[string, ActivityEvent[], boolean]>([
    ['the prompt, same second as T', [hook('UserPromptSubmit', 1_700_000_000, { prompt: 'hello' })], true],
    ['the prompt, later', [hook('UserPromptSubmit', 1_700_000_003, { prompt: 'hello' })], true],
    ['trimmed by Claude Code', [hook('UserPromptSubmit', 1_700_000_001, { prompt: '  hello ' })], true],
    ['an earlier second', [hook('UserPromptSubmit', 1_699_999_999, { prompt: 'hello' })], false],
    ['another prompt', [hook('UserPromptSubmit', 1_700_000_001, { prompt: 'hello there' })], false],
    ['a cut line without its prompt', [hook('UserPromptSubmit', 1_700_000_001)], true],
    ['another hook', [hook('Stop', 1_700_000_001, { prompt: 'hello' })], false],
    ['nothing', [], false],
    ['a status line', [{ kind: 'status', at: 1_700_000_001_000, status: { session_id: 's' } }], false],
  ])('%s', (_, events, want) => {
    expect(promptSubmitted(events, T, 'hello')).toBe(want);
  });
});

describe('typeVerdict', () => {
  const s = (activity: string, waitingFor: string | null = null, message: string | null = null) =>
    ({ activity, waitingFor, message }) as Parameters<typeof typeVerdict>[0];
  it.each<[string, Parameters<typeof typeVerdict>[0], boolean, string, RegExp?]>([
    ['Idle types', s('Idle'), false, 'type'],
    ['Idle types (when idle)', s('Idle'), true, 'type'],
    ['Working is queued by a plain send', s('Working'), false, 'type'],
    ['Working waits with --when-idle', s('Working'), true, 'busy', /Working/],
    ['Starting waits with --when-idle', s('Starting'), true, 'busy', /Starting/],
    [
      'a permission dialog refuses',
      s('WaitingForInput', 'permission', 'Claude wants to use Bash'),
      false,
      'refuse',
      /waits for permission \(Claude wants to use Bash\).*approve or deny/,
    ],
    ['a question refuses', s('WaitingForInput', 'question'), false, 'refuse', /waits for question/],
    ['--when-idle waits through a dialog', s('WaitingForInput', 'permission'), true, 'busy', /waits for permission/],
    ['Exited refuses', s('Exited'), false, 'refuse', /ended/],
    ['Unknown types plainly', s('Unknown'), false, 'type'],
    ['Unknown cannot wait for Idle', s('Unknown'), true, 'refuse', /Unknown/],
  ])('%s', (_, state, whenIdle, kind, why) => {
    const v = typeVerdict(state, whenIdle);
    expect(v.kind).toBe(kind);
    if (why) expect('why' in v ? v.why : '').toMatch(why);
  });
});
