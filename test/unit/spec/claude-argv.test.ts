// The Claude Code preset's argv and transcript folders (pure).
import { describe, expect, it } from 'vitest';
import { claudeArgv, transcriptFolderNames } from '../../../src/spec/claude-argv.js';
import { Claude } from '../../../src/spec/schema.js';

describe('claudeArgv', () => {
  const c = (o: Record<string, unknown>) => Claude.parse(o);
  it.each([
    { case: 'new (default): no session flag', preset: { model: 'opus' }, transcript: true, argv: ['claude', '--model', 'opus'] },
    { case: 'no model: no --model', preset: {}, transcript: false, argv: ['claude'] },
    { case: 'continue', preset: { session: 'continue' }, transcript: false, argv: ['claude', '--continue'] },
    { case: 'resume', preset: { session: 'resume', resumeId: 'abc-123' }, transcript: false, argv: ['claude', '--resume', 'abc-123'] },
    { case: 'continue-or-new with a transcript', preset: { session: 'continue-or-new' }, transcript: true, argv: ['claude', '--continue'] },
    { case: 'continue-or-new without a transcript', preset: { session: 'continue-or-new' }, transcript: false, argv: ['claude'] },
    {
      case: 'order: model, session, flags, channels',
      preset: { model: 'sonnet', session: 'continue', flags: ['--verbose', '--x', 'y'], channels: ['a', 'b'] },
      transcript: false,
      argv: ['claude', '--model', 'sonnet', '--continue', '--verbose', '--x', 'y', '--channels', 'a', 'b'],
    },
    { case: 'flags are passed as they are, one argv element each', preset: { flags: ['$(touch x)', '; ls'] }, transcript: false, argv: ['claude', '$(touch x)', '; ls'] },
    { case: 'another binary', preset: { binary: '/opt/claude/bin/claude' }, transcript: false, argv: ['/opt/claude/bin/claude'] },
  ])('$case', ({ preset, transcript, argv }) => {
    expect(claudeArgv(c(preset), transcript)).toEqual(argv);
  });

  it('transcript folders: / replaced by -, plus the all-punctuation variant when it differs', () => {
    expect(transcriptFolderNames('/home/u/agents/a')).toEqual(['-home-u-agents-a']);
    expect(transcriptFolderNames('/home/u/my.agent_1')).toEqual(['-home-u-my.agent_1', '-home-u-my-agent-1']);
  });
});
