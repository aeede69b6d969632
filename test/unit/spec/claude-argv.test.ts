// The Claude Code argv from the claude preset: session flags, transcript age, --add-dir, channels.
import { describe, expect, it } from 'vitest';
import { claudeArgv, shouldContinue, transcriptFolderNames } from '../../../src/spec/claude-argv.js';
import { Claude } from '../../../src/spec/schema.js';

const c = (o: Record<string, unknown>) => Claude.parse(o);
const HOME = '/home/u';

describe('claudeArgv', () => {
  it.each([
    { case: 'new (default): no session flag', preset: { model: 'opus' }, age: 1, argv: ['claude', '--model', 'opus'] },
    { case: 'no model: no --model', preset: {}, age: undefined, argv: ['claude'] },
    { case: 'continue', preset: { session: 'continue' }, age: undefined, argv: ['claude', '--continue'] },
    {
      case: 'continue ignores the age limit',
      preset: { session: 'continue', continueMaxAgeMinutes: 5 },
      age: 500,
      argv: ['claude', '--continue'],
    },
    {
      case: 'resume with an id',
      preset: { session: 'resume', resumeId: 'abc-123' },
      age: undefined,
      argv: ['claude', '--resume', 'abc-123'],
    },
    {
      case: 'resume without an id continues, as the older tool did',
      preset: { session: 'resume' },
      age: undefined,
      argv: ['claude', '--continue'],
    },
    {
      case: 'continue-or-new with a transcript',
      preset: { session: 'continue-or-new' },
      age: 10_000,
      argv: ['claude', '--continue'],
    },
    {
      case: 'continue-or-new without a transcript',
      preset: { session: 'continue-or-new' },
      age: undefined,
      argv: ['claude'],
    },
    {
      case: 'continue-or-new, transcript younger than the limit',
      preset: { session: 'continue-or-new', continueMaxAgeMinutes: 60 },
      age: 59.5,
      argv: ['claude', '--continue'],
    },
    {
      case: 'continue-or-new, transcript exactly at the limit',
      preset: { session: 'continue-or-new', continueMaxAgeMinutes: 60 },
      age: 60,
      argv: ['claude', '--continue'],
    },
    {
      case: 'continue-or-new, transcript older than the limit: new',
      preset: { session: 'continue-or-new', continueMaxAgeMinutes: 60 },
      age: 60.01,
      argv: ['claude'],
    },
    {
      case: 'continue-or-new, limit 0 means any age',
      preset: { session: 'continue-or-new', continueMaxAgeMinutes: 0 },
      age: 1e9,
      argv: ['claude', '--continue'],
    },
    {
      case: 'order: model, session, flags, add-dirs, channels',
      preset: {
        model: 'sonnet',
        session: 'continue',
        flags: ['--verbose', '--x', 'y'],
        addDirs: ['/data'],
        channels: ['a', 'b'],
      },
      age: undefined,
      argv: [
        'claude',
        '--model',
        'sonnet',
        '--continue',
        '--verbose',
        '--x',
        'y',
        '--add-dir',
        '/data',
        '--channels',
        'a',
        'b',
      ],
    },
    {
      case: '--add-dir once per entry, ~ expanded (no shell will do it)',
      preset: { addDirs: ['~/shared', '/srv/data', '~'] },
      age: undefined,
      argv: ['claude', '--add-dir', '/home/u/shared', '--add-dir', '/srv/data', '--add-dir', '/home/u'],
    },
    {
      case: 'channels: one --channels, entries space-separated, last in the argv',
      preset: { channels: ['plugin:telegram@claude-plugins-official', 'plugin:slack@x'] },
      age: undefined,
      argv: ['claude', '--channels', 'plugin:telegram@claude-plugins-official', 'plugin:slack@x'],
    },
    {
      case: 'flags are passed as they are, one argv element each',
      preset: { flags: ['$(touch x)', '; ls'] },
      age: undefined,
      argv: ['claude', '$(touch x)', '; ls'],
    },
    {
      case: 'another binary',
      preset: { binary: '/opt/claude/bin/claude' },
      age: undefined,
      argv: ['/opt/claude/bin/claude'],
    },
  ])('$case', ({ preset, age, argv }) => {
    expect(claudeArgv(c(preset), { transcriptAgeMinutes: age, home: HOME })).toEqual(argv);
  });

  it('nothing positional can follow a variadic option: every --add-dir and --channels value is ours', () => {
    const argv = claudeArgv(c({ flags: ['--allowedTools', 'Read', 'Edit'], addDirs: ['/a', '/b'], channels: ['x'] }), {
      transcriptAgeMinutes: undefined,
      home: HOME,
    });
    const firstVariadic = argv.indexOf('--add-dir');
    expect(argv.slice(0, firstVariadic)).toEqual(['claude', '--allowedTools', 'Read', 'Edit']);
    expect(argv.slice(firstVariadic)).toEqual(['--add-dir', '/a', '--add-dir', '/b', '--channels', 'x']);
  });
});

describe('shouldContinue', () => {
  it.each([
    [0, undefined, false],
    [0, 0, true],
    [30, 29, true],
    [30, 30, true],
    [30, 31, false],
  ])('limit %s, age %s → %s', (limit, age, yes) => {
    expect(shouldContinue(c({ session: 'continue-or-new', continueMaxAgeMinutes: limit }), age)).toBe(yes);
  });
});

describe('transcriptFolderNames', () => {
  it('/ replaced by -, plus the all-punctuation variant when it differs', () => {
    expect(transcriptFolderNames('/home/u/agents/a')).toEqual(['-home-u-agents-a']);
    expect(transcriptFolderNames('/home/u/my.agent_1')).toEqual(['-home-u-my.agent_1', '-home-u-my-agent-1']);
  });
});
