// Context windows per model, the tokens a turn occupies, and the percentage read off a pane.
import { describe, expect, it } from 'vitest';
import { contextTokens, contextWindow, percentOf } from '../../../src/claude/context-window.js';
import { paneContextPercent } from '../../../src/claude/pane-context.js';

describe('contextWindow', () => {
  it.each([
    { models: ['claude-opus-4-1-20250805'], tokens: 0, window: 200_000 },
    { models: ['claude-sonnet-4-5-20250929'], tokens: 0, window: 200_000 },
    { models: ['claude-haiku-4-5'], tokens: 0, window: 200_000 },
    { models: ['claude-2.1'], tokens: 0, window: 100_000 },
    { models: ['some-future-model'], tokens: 0, window: 200_000 },
    { models: [], tokens: 0, window: 200_000 },
    { models: [undefined, ''], tokens: 0, window: 200_000 },
    // The 1M variants are named by the alias or the id.
    { models: ['claude-sonnet-4-5-20250929', 'sonnet[1m]'], tokens: 0, window: 1_000_000 },
    { models: ['claude-opus-4-8[1m]'], tokens: 0, window: 1_000_000 },
    { models: ['claude-sonnet-4-1m'], tokens: 0, window: 1_000_000 },
    { models: ['claude-sonnet-4-5-context-1m'], tokens: 0, window: 1_000_000 },
    // "1m" inside a word or a date is not the suffix.
    { models: ['claude-opus-4-1-20251m01x'], tokens: 0, window: 200_000 },
    // Usage above the family's window proves the larger one.
    { models: ['claude-sonnet-4-5'], tokens: 250_000, window: 1_000_000 },
    { models: ['claude-sonnet-4-5'], tokens: 200_000, window: 200_000 },
  ])('$models with $tokens tokens → $window', ({ models, tokens, window }) => {
    expect(contextWindow(models, tokens)).toBe(window);
  });
});

describe('contextTokens and percentOf', () => {
  it('counts every input token of the request, not the reply', () => {
    expect(
      contextTokens({
        input_tokens: 4,
        cache_creation_input_tokens: 1_200,
        cache_read_input_tokens: 98_796,
        output_tokens: 900,
      }),
    ).toBe(100_000);
    expect(contextTokens({ input_tokens: 10 })).toBe(10);
    expect(contextTokens({ input_tokens: -5, cache_read_input_tokens: Number.NaN })).toBe(0);
  });

  it.each([
    [100_000, 200_000, 50],
    [170_001, 200_000, 85],
    [1, 3, 33.3],
    [300_000, 200_000, 100],
    [5, 0, 0],
  ])('%s of %s → %s%%', (tokens, window, percent) => {
    expect(percentOf(tokens, window)).toBe(percent);
  });
});

describe('paneContextPercent', () => {
  const RULE = '─'.repeat(40);
  const screen = (conversation: string, bar: string): string => `${conversation}\n${RULE}\n❯ \n${RULE}\n${bar}`;
  it.each([
    { pane: screen('', '  ? for shortcuts          Context left until auto-compact: 12%'), used: 88 },
    {
      pane: screen('', '  ⏵⏵ bypass permissions on · Context low (8% remaining) · Run /compact to compact & continue'),
      used: 92,
    },
    // The bottom of the status bar is the newest: the last indicator wins.
    { pane: screen('', 'Context left until auto-compact: 40%\nContext left until auto-compact: 3%'), used: 97 },
    // Custom or printed wording is not Claude Code's status bar: never a figure.
    { pane: screen('', '[Opus] 42.5% context used | main'), used: undefined },
    { pane: screen('', 'model opus · Context: 61%'), used: undefined },
    // An agent that prints Claude Code's own words in its conversation, above the input box.
    { pane: screen('● Context: 99%\n● Context left until auto-compact: 1%', '  ? for shortcuts'), used: undefined },
    { pane: 'Context left until auto-compact: 2%', used: undefined },
    { pane: screen('', '❯ tell me about 80% of the cases'), used: undefined },
    { pane: screen('', 'Context left until auto-compact: 250%'), used: undefined },
    { pane: '', used: undefined },
  ])('$pane → $used', ({ pane, used }) => {
    expect(paneContextPercent(pane)).toBe(used);
  });
});
