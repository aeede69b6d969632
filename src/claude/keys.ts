// Keys typed into a terminal agent, as tmux send-keys steps (pure).

import type { TmuxKey } from '../terminal/key-names.js';
import { chunkText } from '../terminal/send-text.js';

/** tmux key names agentctl sends; anything else is typed literally. */
export type KeyName = TmuxKey;

/** One send-keys call: literal text (`-l`, never read as key names) or one named key. */
export type KeyStep = { literal: string } | { key: KeyName };

export const lit = (text: string): KeyStep => ({ literal: text });
export const key = (name: KeyName): KeyStep => ({ key: name });

/** The steps that type a line and submit it: the text literally, then Enter as a separate call
 * (a TUI that receives both in one burst may read them as a paste and not submit). Long text
 * goes in pieces tmux accepts. */
export function typeLine(text: string): KeyStep[] {
  return [...chunkText(text).map(lit), key('Enter')];
}

/** `send-keys` arguments for one step (the caller adds `tmux -L socket`). `--` ends the options,
 * so literal text starting with `-` is still text. */
export function sendKeysArgs(target: string, step: KeyStep): string[] {
  return 'literal' in step
    ? ['send-keys', '-t', target, '-l', '--', step.literal]
    : ['send-keys', '-t', target, step.key];
}

/** A short description of steps for events and logs, e.g. `"2" Enter`. */
export function describeKeys(steps: readonly KeyStep[]): string {
  return steps.map((s) => ('literal' in s ? JSON.stringify(s.literal) : s.key)).join(' ');
}
