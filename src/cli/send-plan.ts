// What `send` types: TEXT and Enter, or named keys; every refusal that needs no agent (pure).
import { key, typeLine, type KeyStep } from '../claude/keys.js';
import { acceptedKeyNames, KEY_HELP_NAMES, tmuxKeyOf } from '../terminal/key-names.js';
import { refuseText } from '../terminal/send-text.js';
import { ExitError } from './exit.js';

export interface SendInput {
  words: readonly string[];
  keys: readonly string[];
}

export type SendPlan = { kind: 'text'; text: string; steps: KeyStep[] } | { kind: 'keys'; steps: KeyStep[] };

/** The steps to type, or an ExitError(1) saying why nothing will be (no agent is looked at yet).
 * Secrets are checked per agent afterwards (each agent has its own). */
export function planSend(input: SendInput): SendPlan {
  if (input.keys.length > 0) {
    if (input.words.length > 0)
      throw new ExitError(1, 'send: give TEXT or --key, not both (send them one after the other)');
    const steps = input.keys.map((k) => {
      const t = tmuxKeyOf(k);
      if (!t)
        throw new ExitError(
          1,
          `send: unknown key "${printable(k)}"; --key takes one of ${KEY_HELP_NAMES.join(', ')} ` +
            `(all accepted: ${acceptedKeyNames().join(' ')})`,
        );
      return key(t);
    });
    return { kind: 'keys', steps };
  }
  const text = input.words.join(' ');
  const why = refuseText(text, []);
  if (why) throw new ExitError(1, `send: refusing to type: ${why}`);
  return { kind: 'text', text, steps: typeLine(text) };
}

/** A key name as given, with control characters shown as escapes (it is echoed in an error). */
function printable(s: string): string {
  return JSON.stringify(s.slice(0, 40)).slice(1, -1);
}

/** Why this agent may not have the text typed (a secret of its own), or undefined. */
export function refuseForAgent(plan: SendPlan, secrets: readonly string[]): string | undefined {
  return plan.kind === 'text' ? refuseText(plan.text, secrets) : undefined;
}

/** What stdout says after typing. */
export function typedMessage(plan: SendPlan, names: readonly string[]): string {
  const who = names.join(', ');
  return plan.kind === 'text'
    ? `typed ${[...plan.text].length} character(s) and Enter into ${who}`
    : `sent ${plan.steps.map((s) => ('key' in s ? s.key : '')).join(' ')} to ${who}`;
}
