// agentctl's settings layer for an incarnation: its hooks, its status line, the user's own status line kept.
import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_HOOKS,
  incarnationFiles,
  settingsLayer,
  userStatusLineOf,
  withSettingsArg,
} from '../../../../src/claude/activity/settings-layer.js';

const files = incarnationFiles('/state/run/claude', 'bob', 'i1');

describe('settingsLayer', () => {
  it('one command hook per event, each naming the incarnation and its events file', () => {
    const s = settingsLayer({ files, incarnation: 'i1', capBytes: 1000 }) as {
      hooks: Record<string, { hooks: { command: string }[] }[]>;
      statusLine: { command: string; padding?: number };
    };
    expect(Object.keys(s.hooks)).toEqual([...ACTIVITY_HOOKS, 'PermissionRequest']);
    // agentctl's PermissionRequest hook waits (bounded) for approve/deny in the incarnation's folder.
    expect(s.hooks.PermissionRequest![0]!.hooks[0]!.command).toBe(
      "'sh' '/state/run/claude/agentctl-permission.sh' '/state/run/claude/bob.i1.events' 'i1' '/state/run/claude/bob.i1.perm' '30'",
    );
    expect(s.hooks.Stop![0]!.hooks[0]!.command).toBe(
      "'sh' '/state/run/claude/agentctl-hook.sh' '/state/run/claude/bob.i1.events' 'i1' '1000'",
    );
    expect(s.statusLine.command).toBe(
      "'sh' '/state/run/claude/agentctl-status.sh' '/state/run/claude/bob.i1.status' 'i1'",
    );
  });

  it("the user's status line is run by agentctl's, with its padding", () => {
    const s = settingsLayer({
      files,
      incarnation: 'i1',
      userStatusLine: { type: 'command', command: 'echo hi', padding: 2 },
    });
    expect(s.statusLine).toEqual({
      type: 'command',
      command:
        "'sh' '/state/run/claude/agentctl-status.sh' '/state/run/claude/bob.i1.status' 'i1' '/state/run/claude/bob.i1.statusline'",
      padding: 2,
    });
  });

  it.each([
    { texts: [], want: undefined },
    {
      texts: [undefined, '{"statusLine":{"type":"command","command":"p"}}', '{"statusLine":{"command":"u"}}'],
      want: 'p',
    },
    { texts: ['not json', '{"statusLine":{"command":"u"}}'], want: 'u' },
    { texts: ['{"statusLine":"x"}', 'null', '{}'], want: undefined },
  ])('userStatusLineOf → $want', ({ texts, want }) => {
    expect(userStatusLineOf(texts)?.command).toBe(want);
  });

  it('--settings goes right after the binary, before variadic options', () => {
    expect(withSettingsArg(['claude', '--model', 'm', '--channels', 'a', 'b'], '/s.json')).toEqual([
      'claude',
      '--settings',
      '/s.json',
      '--model',
      'm',
      '--channels',
      'a',
      'b',
    ]);
  });
});
