// Start-up dialogs of the real Claude Code 2.1.328, and a corpus of screens whose prompt-like text sits in the conversation: no key is typed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeKeys } from '../../../src/claude/keys.js';
import { nextAutoAcceptStep, startAutoAccept, classifyPane } from '../../../src/claude/prompts.js';
import { ROOT } from '../../helpers/cli.js';

const real = (name: string): string =>
  readFileSync(join(ROOT, 'test', 'fixtures', 'claude-real', 'screens', `${name}.txt`), 'utf8');
const old = (name: string): string =>
  readFileSync(join(ROOT, 'test', 'fixtures', 'claude-panes', `${name}.txt`), 'utf8');
const OWN_KEY = 'sk-ant-api03-agentctl-mock-0123456789abcdefghij';

describe('the real 2.1.328 dialogs', () => {
  it.each([
    { screen: 'trust-folder', prompt: 'trust-folder', keys: 'Down Enter' },
    { screen: 'bypass-permissions', prompt: 'bypass-permissions', keys: 'Down Enter' },
    { screen: 'custom-api-key', prompt: 'custom-api-key', keys: 'Up Enter' },
  ])('$screen → $keys', ({ screen, prompt, keys }) => {
    const s = classifyPane(real(screen), { apiKey: OWN_KEY });
    expect(s.kind).toBe('prompt');
    if (s.kind === 'prompt') {
      expect(s.prompt).toBe(prompt);
      expect(describeKeys(s.keys)).toBe(keys);
    }
  });

  it.each([
    { why: 'another key than the agent’s own', apiKey: 'sk-ant-api03-someone-else-99999999999999999999' },
    { why: 'the agent has no key', apiKey: undefined },
  ])('the custom-API-key dialog is left alone for $why', ({ apiKey }) => {
    expect(classifyPane(real('custom-api-key'), { apiKey }).kind).toBe('unknown');
  });

  it.each(['idle-input-box', 'idle-input-box-bypass', 'conversation-input-box', 'error-401'])(
    '%s is the input screen',
    (s) => {
      expect(classifyPane(real(s)).kind).toBe('ready');
    },
  );

  it('a permission dialog mid-session is no start-up prompt, and not the input screen', () => {
    expect(classifyPane(real('permission-proceed')).kind).toBe('unknown');
  });
});

/** A dialog's text (or a line of it) printed into the conversation above the real input box. */
function inConversation(text: string): string {
  const screen = real('conversation-input-box').split('\n');
  const rule = screen.findIndex((l) => /^─{20,}$/.test(l.trim()));
  return [...screen.slice(0, rule), ...text.split('\n'), '', ...screen.slice(rule)].join('\n');
}

const DIALOGS = [
  ...['trust-folder', 'bypass-permissions', 'custom-api-key'].map((n) => ({ name: `real ${n}`, text: real(n) })),
  ...readdirSync(join(ROOT, 'test', 'fixtures', 'claude-panes'))
    .filter((f) => !f.startsWith('ready') && f !== 'starting.txt')
    .map((f) => ({ name: `older ${f}`, text: old(f.replace(/\.txt$/, '')) })),
  { name: 'a y/n question', text: '● Do you trust the files in this folder? (y/n)' },
  { name: 'a skip-permissions question', text: '● Run with --dangerously-skip-permissions? (y/n)' },
  { name: 'a footer in a quote', text: '> ❯ 1. Yes, proceed\n>   Enter to confirm · Esc to exit' },
];

describe('corpus: prompt-like text in the conversation above the input box', () => {
  it.each(DIALOGS)('$name: no key is typed', ({ text }) => {
    const screen = inConversation(text);
    expect(classifyPane(screen, { apiKey: OWN_KEY }).kind).not.toBe('prompt');
    const step = nextAutoAcceptStep(screen, startAutoAccept(0), 1000, undefined, { apiKey: OWN_KEY }).step;
    expect(step.kind).not.toBe('send');
  });

  it('the same texts as the active screen are answered (the corpus is not vacuous)', () => {
    const answered = DIALOGS.filter((d) => classifyPane(d.text, { apiKey: OWN_KEY }).kind === 'prompt').map(
      (d) => d.name,
    );
    expect(answered).toEqual(
      expect.arrayContaining(['real trust-folder', 'real bypass-permissions', 'real custom-api-key', 'a y/n question']),
    );
  });
});
