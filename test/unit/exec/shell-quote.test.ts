// shellQuote: exact output for a table of words, and a real `sh -c` reading every hostile word back literally.
import { execa } from 'execa';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QuoteError, shellQuote, shellQuoteArgv } from '../../../src/exec/shell-quote.js';
import { corpusWith, randomWords } from '../../helpers/injection-corpus.js';
import { removeTree } from '../../helpers/remove-tree.js';

describe('shellQuote', () => {
  it.each([
    ['plain', 'plain'],
    ['/usr/bin/tmux', '/usr/bin/tmux'],
    ['-L', '-L'],
    ['user@host:22', 'user@host:22'],
    ['', "''"],
    [' ', "' '"],
    ["it's", `'it'\\''s'`],
    ["'", `''\\'''`],
    ['$(id)', "'$(id)'"],
    ['`id`', "'`id`'"],
    ['a b', "'a b'"],
    ['a\nb', "'a\nb'"],
    ['~', "'~'"],
    ['*', "'*'"],
    ['A=b', "'A=b'"],
    ['if', "'if'"],
    ['!', "'!'"],
    ['日本', "'日本'"],
    ['\\', "'\\'"],
  ])('%j → %s', (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });

  it('refuses NUL, which no argv can carry', () => {
    expect(() => shellQuote('a\0b')).toThrow(QuoteError);
  });

  it('joins an argv with single spaces', () => {
    expect(shellQuoteArgv(['tmux', '-L', 'agent ctl', '$x'])).toBe("tmux -L 'agent ctl' '$x'");
  });
});

describe('against a real sh -c', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentctl-quote-'));
  afterAll(() => removeTree(dir));

  const echoBack = async (words: string[]): Promise<string[]> => {
    // printf '%s\0' prints each argument it receives, NUL-terminated: one entry per word.
    const r = await execa('sh', ['-c', `printf '%s\\0' ${shellQuoteArgv(words)}`], {
      cwd: dir,
      stripFinalNewline: false,
    });
    return r.stdout.split('\0').slice(0, -1);
  };

  it('reads every word of the injection corpus back literally, and runs nothing', async () => {
    const words = corpusWith(join(dir, 'pwned'));
    expect(await echoBack(words)).toEqual(words);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reads 500 seeded random hostile words back literally', async () => {
    const words = randomWords(12, 500);
    expect(await echoBack(words)).toEqual(words);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps reserved words and assignments as arguments when they come first', async () => {
    const r = await execa('sh', ['-c', `${shellQuoteArgv(['A=b'])} 2>&1; ${shellQuoteArgv(['if'])} 2>&1; true`], {
      reject: false,
    });
    expect(r.stdout).toMatch(/A=b: not found/);
    expect(r.stdout).toMatch(/if: not found/);
  });
});
