// Transcript lines folded into a session's status: model, session id, context %, last activity.
import { describe, expect, it } from 'vitest';
import { applyTranscriptLine, claudeStatusOf, EMPTY_TRANSCRIPT } from '../../../src/claude/transcript-parse.js';
import { assistantLine, compactBoundaryLine, SESSION, summaryLine, userLine } from '../../helpers/transcript-lines.js';

const fold = (lines: string[]) => lines.reduce(applyTranscriptLine, EMPTY_TRANSCRIPT);

describe('applyTranscriptLine', () => {
  it.each([
    {
      case: 'the last assistant turn sets model and context',
      lines: [
        userLine('hi'),
        assistantLine(40_000),
        userLine('more', '2026-11-29T10:01:00.000Z'),
        assistantLine(90_000, { time: '2026-11-29T10:01:09.000Z' }),
      ],
      want: {
        model: 'claude-opus-4-1-20250805',
        contextTokens: 90_000,
        sessionId: SESSION,
        lastActivity: '2026-11-29T10:01:09.000Z',
        sawContext: true,
        badLines: 0,
      },
    },
    {
      case: "a subagent's side chain does not count",
      lines: [assistantLine(50_000), assistantLine(190_000, { sidechain: true, model: 'claude-haiku-4-5' })],
      want: { model: 'claude-opus-4-1-20250805', contextTokens: 50_000 },
    },
    {
      case: 'a message Claude Code made up (<synthetic>) does not count',
      lines: [assistantLine(50_000), assistantLine(0, { model: '<synthetic>' })],
      want: { model: 'claude-opus-4-1-20250805', contextTokens: 50_000 },
    },
    {
      case: 'a compaction clears the context until the next turn',
      lines: [assistantLine(170_000), compactBoundaryLine()],
      want: { contextTokens: undefined, sawContext: true, lastActivity: '2026-11-29T11:00:00.000Z' },
    },
    {
      case: 'the turn after a compaction sets it again',
      lines: [
        assistantLine(170_000),
        compactBoundaryLine(),
        assistantLine(12_000, { time: '2026-11-29T11:00:30.000Z' }),
      ],
      want: { contextTokens: 12_000 },
    },
    {
      case: 'user lines and summaries alone say nothing about the context',
      lines: [summaryLine('Fixing the parser'), userLine('hello')],
      want: { contextTokens: undefined, model: undefined, sawContext: false, sessionId: SESSION },
    },
    {
      case: 'torn or foreign lines are counted and skipped',
      lines: ['{"type":"assis', '[1,2]', '', '   ', 'null', assistantLine(1_000)],
      want: { badLines: 3, contextTokens: 1_000 },
    },
    {
      case: 'an older timestamp does not move last activity back',
      lines: [userLine('b', '2026-11-29T12:00:00.000Z'), userLine('a', '2026-11-29T09:00:00.000Z')],
      want: { lastActivity: '2026-11-29T12:00:00.000Z' },
    },
  ])('$case', ({ lines, want }) => {
    const got = fold(lines);
    for (const [k, v] of Object.entries(want)) {
      if (v === undefined) expect(got).not.toHaveProperty(k);
      else expect(got).toHaveProperty(k, v);
    }
  });
});

describe('claudeStatusOf', () => {
  it('context percent against the recorded model, 1M when the spec asked for [1m]', () => {
    const s = fold([assistantLine(170_000)]);
    expect(claudeStatusOf(s, 'opus')).toMatchObject({
      source: 'transcript',
      contextPercent: 85,
      contextWindow: 200_000,
      sessionId: SESSION,
    });
    expect(claudeStatusOf(s, 'opus[1m]')).toMatchObject({ contextPercent: 17, contextWindow: 1_000_000 });
  });

  it('without a turn: no percent; the model the spec asked for; last activity from the file time', () => {
    const st = claudeStatusOf(fold([summaryLine('x')]), 'sonnet', Date.parse('2026-11-29T08:00:00.000Z'));
    expect(st).toEqual({ source: 'transcript', model: 'sonnet', lastActivity: '2026-11-29T08:00:00.000Z' });
  });
});
