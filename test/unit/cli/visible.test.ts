// Control characters of agent, hook and check output are shown as escapes, never sent raw to a terminal.
import { describe, expect, it } from 'vitest';
import { visibleText } from '../../../src/cli/visible.js';

describe('visibleText', () => {
  it.each([
    ['plain text', 'plain text'],
    ['tab\tand\nnewline', 'tab\tand\nnewline'],
    ['\x1b]52;c;aGVsbG8=\x07', '\\x1b]52;c;aGVsbG8=\\x07'],
    ['\x1b]0;pwned\x1b\\', '\\x1b]0;pwned\\x1b\\'],
    ['\x1b[2J\x1b[H', '\\x1b[2J\\x1b[H'],
    ['bell\x07 nul\x00 cr\r del\x7f', 'bell\\x07 nul\\x00 cr\\x0d del\\x7f'],
    ['\u009b31m c1 csi \u009d0;t\u009c', '\\u009b31m c1 csi \\u009d0;t\\u009c'],
    ['ünïcödé ✓ 日本', 'ünïcödé ✓ 日本'],
  ])('%j → %j', (input, want) => {
    expect(visibleText(input)).toBe(want);
  });
});
