// Claude Code's start-up prompts on realistic pane captures, and the auto-accept planner step by step.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeKeys, sendKeysArgs, typeLine } from '../../../src/claude/keys.js';
import {
  classifyPane,
  nextAutoAcceptStep,
  startAutoAccept,
  type AutoAcceptOptions,
} from '../../../src/claude/prompts.js';
import { ROOT } from '../../helpers/cli.js';

const pane = (name: string): string =>
  readFileSync(join(ROOT, 'test', 'fixtures', 'claude-panes', `${name}.txt`), 'utf8');

describe('classifyPane', () => {
  it.each([
    { file: 'bypass-permissions', kind: 'prompt', prompt: 'bypass-permissions', keys: '"2" Enter' },
    { file: 'bypass-nbsp', kind: 'prompt', prompt: 'bypass-permissions', keys: '"2" Enter' },
    { file: 'development-channels', kind: 'prompt', prompt: 'development-channels', keys: '"1" Enter' },
    { file: 'thinking-effort', kind: 'prompt', prompt: 'thinking-effort', keys: '"1" Enter' },
    { file: 'trust-folder', kind: 'prompt', prompt: 'trust-folder', keys: '"1" Enter' },
    { file: 'trust-folder-new', kind: 'prompt', prompt: 'trust-folder', keys: '"1" Enter' },
    { file: 'skip-permissions-yn', kind: 'prompt', prompt: 'skip-permissions-yn', keys: '"y" Enter' },
    { file: 'trust-folder-yn', kind: 'prompt', prompt: 'trust-folder-yn', keys: '"y" Enter' },
    { file: 'ready-bypass', kind: 'ready' },
    { file: 'ready-default', kind: 'ready' },
    { file: 'ready-typing', kind: 'ready' },
    // A dialog caught half-drawn shows its highlighted option but no footer yet: neither.
    { file: 'half-drawn-menu', kind: 'unknown' },
    { file: 'starting', kind: 'unknown' },
    // A menu agentctl does not know is never answered, and is not taken for the ready screen.
    { file: 'unknown-menu', kind: 'unknown' },
  ])('$file → $kind $prompt', ({ file, kind, prompt, keys }) => {
    const state = classifyPane(pane(file));
    expect(state.kind).toBe(kind);
    if (state.kind === 'prompt') {
      expect(state.prompt).toBe(prompt);
      expect(describeKeys(state.keys)).toBe(keys);
    }
  });

  it('the answered dialog still in the scrollback above a ready screen does not count: only the visible pane is read', () => {
    // capture-pane without -S returns the visible screen; a dialog that is gone is gone.
    expect(classifyPane(`${pane('ready-bypass')}`).kind).toBe('ready');
    // A dialog's text above the input box is conversation, not the active dialog: never answered.
    expect(classifyPane(`${pane('bypass-permissions')}\n${pane('ready-bypass')}`).kind).toBe('ready');
  });

  it('an empty pane is unknown', () => {
    expect(classifyPane('').kind).toBe('unknown');
  });
});

describe('nextAutoAcceptStep', () => {
  const opts: AutoAcceptOptions = { timeoutMs: 60_000, resendAfterMs: 3_000, maxAttemptsPerPrompt: 2 };

  it('answers each prompt once, waits while the TUI redraws, and ends ready with the prompts answered', () => {
    let s = startAutoAccept(0);
    const steps: string[] = [];
    const feed = (file: string, at: number) => {
      const r = nextAutoAcceptStep(pane(file), s, at, opts);
      s = r.state;
      steps.push(r.step.kind === 'send' ? `send ${r.step.prompt}` : r.step.kind);
      return r.step;
    };
    feed('starting', 100);
    feed('bypass-permissions', 500);
    feed('bypass-permissions', 900); // not redrawn yet: wait, do not type "2" into the next screen
    feed('development-channels', 1300);
    feed('thinking-effort', 2000);
    const last = feed('ready-bypass', 2500);
    expect(steps).toEqual([
      'wait',
      'send bypass-permissions',
      'wait',
      'send development-channels',
      'send thinking-effort',
      'ready',
    ]);
    expect(last).toEqual({
      kind: 'ready',
      answered: ['bypass-permissions', 'development-channels', 'thinking-effort'],
    });
  });

  it('sends again when the prompt is still there after resendAfterMs, doubled per answer, then reports stuck', () => {
    let s = startAutoAccept(0);
    const at = (t: number) => {
      const r = nextAutoAcceptStep(pane('trust-folder'), s, t, opts);
      s = r.state;
      return r.step.kind;
    };
    // 3 s after the first answer, 6 s after the second: a slow TUI is not sent a second Enter.
    expect([at(0), at(2_999), at(3_000), at(8_999), at(9_000)]).toEqual(['send', 'wait', 'send', 'wait', 'stuck']);
  });

  it('a menu without digits: the cursor move and the confirm are separate steps, each resent on its own', () => {
    const trust = readFileSync(join(ROOT, 'test', 'fixtures', 'claude-real', 'screens', 'trust-folder.txt'), 'utf8');
    const onYes = trust.replace('❯ No, exit', '  No, exit').replace('  Yes, I trust', '❯ Yes, I trust');
    let s = startAutoAccept(0);
    const at = (t: number, screen: string) => {
      const r = nextAutoAcceptStep(screen, s, t, opts);
      s = r.state;
      return r.step.kind === 'send' ? describeKeys(r.step.keys) : r.step.kind;
    };
    expect([
      at(0, trust), // the cursor is on "No, exit": move it
      at(500, trust), // not redrawn yet: no second move
      at(3_000, trust), // still on "No": the move was lost, move again
      at(3_200, onYes), // the cursor is on the choice: confirm at once
      at(3_400, onYes), // not redrawn yet: no second Enter
      at(6_200, onYes), // still there after the window: the Enter was lost
      at(12_200, onYes), // and again, after twice the window: stuck
    ]).toEqual(['Down', 'wait', 'Down', 'Enter', 'wait', 'Enter', 'stuck']);
    // A lost move is never confirmed: Enter goes only where the screen shows the cursor.
    expect(s.attempts).toEqual({ 'trust-folder': 2 });
  });

  it('times out on a pane it cannot read, but ready wins even after the deadline', () => {
    const s = startAutoAccept(1_000);
    expect(nextAutoAcceptStep(pane('unknown-menu'), s, 60_999, opts).step.kind).toBe('wait');
    expect(nextAutoAcceptStep(pane('unknown-menu'), s, 61_000, opts).step).toEqual({ kind: 'timeout', answered: [] });
    expect(nextAutoAcceptStep(pane('ready-default'), s, 99_000, opts).step.kind).toBe('ready');
  });

  it('a ready pane at once needs no keys', () => {
    expect(nextAutoAcceptStep(pane('ready-default'), startAutoAccept(0), 10, opts).step).toEqual({
      kind: 'ready',
      answered: [],
    });
  });
});

describe('keys', () => {
  it('a typed line is the text literally, then Enter as a separate call', () => {
    expect(typeLine('/compact')).toEqual([{ literal: '/compact' }, { key: 'Enter' }]);
    expect(typeLine('')).toEqual([{ key: 'Enter' }]);
  });

  it('send-keys arguments: -l -- for text (a leading - stays text), the key name otherwise', () => {
    expect(sendKeysArgs('a1', { literal: '-x; $(rm)' })).toEqual(['send-keys', '-t', 'a1', '-l', '--', '-x; $(rm)']);
    expect(sendKeysArgs('a1', { key: 'Escape' })).toEqual(['send-keys', '-t', 'a1', 'Escape']);
  });
});
