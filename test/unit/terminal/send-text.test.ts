// What send refuses: control characters named, the size cap, secrets also behind invisible characters.
import { describe, expect, it } from 'vitest';
import { chunkText, describeChar, firstControl, refuseText, SEND_MAX_BYTES } from '../../../src/terminal/send-text.js';

describe('send text checks', () => {
  const controls: [string, string][] = [
    ['a\u0003b', 'U+0003 (^C)'],
    ['run\rrm -rf', 'U+000D (^M, carriage return)'],
    ['two\nlines', 'U+000A (^J, line feed)'],
    ['\u001b[Z', 'U+001B (ESC)'],
    ['x\u007f', 'U+007F (^?, DEL)'],
    ['csi\u009b2J', 'U+009B (C1 control)'],
    ['nul\u0000', 'U+0000 (^@)'],
    ['tab\there', 'U+0009 (^I, tab)'],
    ['\u0080', 'U+0080 (C1 control)'],
  ];
  it.each(controls)('refuses %j naming %s and pointing to --key', (text, named) => {
    const why = refuseText(text, []);
    expect(why).toContain(named);
    expect(why).toContain('--key');
  });

  it.each(['plain text', 'ünïcödé ✓ 日本語', '-l "quoted" $(x) ; C-c', '', '\u00a0nbsp', 'emoji 🎉'])(
    'accepts %j',
    (text) => expect(refuseText(text, [])).toBeUndefined(),
  );

  it('names the offset of the first control character (in UTF-16 units)', () => {
    expect(firstControl('ab\u0003')).toEqual({ cp: 3, index: 2 });
    expect(firstControl('🎉\u0007')).toEqual({ cp: 7, index: 2 });
    expect(describeChar(0x1f)).toBe('U+001F (^_)');
  });

  it('caps the size and says the limit', () => {
    expect(refuseText('a'.repeat(SEND_MAX_BYTES), [])).toBeUndefined();
    const why = refuseText('a'.repeat(1024 * 1024), []);
    expect(why).toBe(`the text is 1048576 bytes, over the limit of ${SEND_MAX_BYTES} bytes (64 KiB)`);
    // Bytes, not characters: 3-byte characters reach the cap sooner.
    expect(refuseText('€'.repeat(SEND_MAX_BYTES / 3 + 1), [])).toMatch(/over the limit/);
  });

  const secret = 'sk-ant-0123456789abcdef';
  const secretCases: [string, string][] = [
    ['as is', `use ${secret} now`],
    ['a DEL inside', `use sk-ant-01234\u007f56789abcdef`],
    ['a zero-width space inside', `sk-ant-\u200b0123456789abcdef`],
    ['a direction mark inside', `sk-ant-0123\u200e456789abcdef`],
    ['full-width look-alikes', 'ｓｋ-ａｎｔ-0123456789abcdef'],
    ['an ESC inside', `sk-ant-\u001b0123456789abcdef`],
  ];
  it.each(secretCases)('refuses a secret with %s, as a secret, without quoting it', (_, text) => {
    const why = refuseText(text, [secret]);
    expect(why).toBe('the text holds a secret value of its environment');
  });

  it('splits long text into pieces tmux accepts, never inside a character', () => {
    expect(chunkText('')).toEqual([]);
    expect(chunkText('abcdef', 4)).toEqual(['abcd', 'ef']);
    expect(chunkText('€€€', 4)).toEqual(['€', '€', '€']);
    const pieces = chunkText('ü'.repeat(10000));
    expect(pieces.join('')).toBe('ü'.repeat(10000));
    expect(pieces.every((p) => Buffer.byteLength(p) <= 8192)).toBe(true);
  });
});
