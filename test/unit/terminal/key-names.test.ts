// send --key: the fixed list of names, each to the key tmux knows.
import { describe, expect, it } from 'vitest';
import { acceptedKeyNames, KEY_HELP_NAMES, tmuxKeyOf } from '../../../src/terminal/key-names.js';
import { planSend } from '../../../src/cli/send-plan.js';
import { failedAgent } from '../../../src/runtime/tmux/send-keys.js';

describe('named keys', () => {
  const cases: [string, string | undefined][] = [
    ['Escape', 'Escape'],
    ['ESC', 'Escape'],
    ['Enter', 'Enter'],
    ['Tab', 'Tab'],
    ['S-Tab', 'BTab'],
    ['BTab', 'BTab'],
    ['C-c', 'C-c'],
    ['Up', 'Up'],
    ['Down', 'Down'],
    ['Left', 'Left'],
    ['Right', 'Right'],
    ['BSpace', 'BSpace'],
    ['PageUp', 'PPage'],
    ['C-b', undefined],
    ['enter', undefined],
    ['Enter; kill-server', undefined],
    ['', undefined],
  ];
  it.each(cases)('%j is %j', (name, tmux) => expect(tmuxKeyOf(name)).toBe(tmux));

  it('documents only names it accepts', () => {
    for (const n of KEY_HELP_NAMES) expect(acceptedKeyNames()).toContain(n);
  });
});

describe('planSend', () => {
  it('types text then Enter as separate steps, and named keys in order', () => {
    expect(planSend({ words: ['hi', 'there'], keys: [] })).toEqual({
      kind: 'text',
      text: 'hi there',
      steps: [{ literal: 'hi there' }, { key: 'Enter' }],
    });
    expect(planSend({ words: [], keys: ['S-Tab', 'Escape'] }).steps).toEqual([{ key: 'BTab' }, { key: 'Escape' }]);
    expect(planSend({ words: [], keys: [] }).steps).toEqual([{ key: 'Enter' }]);
  });

  const refusals: [string, string[], string[], RegExp][] = [
    ['control character', ['a\u0003b'], [], /U\+0003 \(\^C\).*--key/],
    ['unknown key', [], ['C-z'], /unknown key "C-z"; --key takes one of Escape, Enter, Tab, S-Tab, C-c/],
    ['control character in a key name', [], ['\u001b'], /unknown key "\\u001b"/],
    ['text and keys', ['x'], ['Enter'], /give TEXT or --key, not both/],
    ['1 MB', ['a'.repeat(1 << 20)], [], /over the limit of 65536 bytes/],
  ];
  it.each(refusals)('refuses %s with exit 1', (_, words, keys, message) => {
    expect(() => planSend({ words, keys })).toThrow(message);
    try {
      planSend({ words, keys });
    } catch (e) {
      expect((e as { code: number }).code).toBe(1);
    }
  });
});

describe('failedAgent', () => {
  it.each([
    ["can't find session: b", ['a', 'b', 'c'], 'b'],
    ["can't find pane: =c:", ['a', 'b', 'c'], 'c'],
    ["can't find session: zz", ['a'], undefined],
    ['server exited unexpectedly', ['a'], undefined],
  ] as const)('%j among %j is %j', (stderr, names, at) => expect(failedAgent(stderr, names)).toBe(at));
});
