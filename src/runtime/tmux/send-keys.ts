// Typing into many tmux panes with one client: the argv of a batch, and which agent a failed chain stopped at (pure).
import type { KeyStep } from '../types.js';
import { paneTarget } from './commands.js';

/** One send-keys command per step: literal text with `-l --` (never read as key names, even when
 * it starts with `-`), a named key without. */
export function sendKeysCommand(name: string, step: KeyStep): string[] {
  return 'text' in step
    ? ['send-keys', '-t', paneTarget(name), '-l', '--', step.text]
    : ['send-keys', '-t', paneTarget(name), step.key];
}

/** The agent whose target a failed chain names ("can't find session: b", "can't find pane: b"):
 * tmux ran every command before it and none after. Undefined when stderr names none of them. */
export function failedAgent(stderr: string, names: readonly string[]): string | undefined {
  const m = /can't find (?:session|pane|window): =?([^\s:]+)/.exec(stderr);
  return m && names.includes(m[1]!) ? m[1] : undefined;
}
