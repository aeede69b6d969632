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

/** The dialog as it shows once the cursor is on CHOICE (the `❯` moved from the default). */
function cursorMoved(screen: string, choice: string): string {
  return screen
    .replace(/❯ /, '  ')
    .replace(new RegExp(`^(\\s*)  ${choice}`, 'm'), (_m, pad: string) => `${pad}❯ ${choice}`);
}

describe('the real 2.1.328 dialogs', () => {
  it.each([
    { screen: 'trust-folder', prompt: 'trust-folder', move: 'Down', choice: 'Yes, I trust this folder' },
    { screen: 'bypass-permissions', prompt: 'bypass-permissions', move: 'Down', choice: 'Yes, I accept' },
    { screen: 'custom-api-key', prompt: 'custom-api-key', move: 'Up', choice: 'Yes' },
  ])('$screen: $move moves the cursor to "$choice", then Enter confirms it', ({ screen, prompt, move, choice }) => {
    const before = classifyPane(real(screen), { apiKey: OWN_KEY });
    expect(before).toMatchObject({ kind: 'prompt', prompt, move: true });
    if (before.kind === 'prompt') expect(describeKeys(before.keys)).toBe(move);
    const moved = cursorMoved(real(screen), choice);
    expect(moved).not.toBe(real(screen));
    const after = classifyPane(moved, { apiKey: OWN_KEY });
    expect(after).toMatchObject({ kind: 'prompt', prompt, move: false });
    if (after.kind === 'prompt') expect(describeKeys(after.keys)).toBe('Enter');
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
