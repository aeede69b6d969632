// Typing into an agent's terminal: each key step its own send-keys call, a moment apart, and never a secret.
import type { KeyStep } from '../../../src/claude/keys.js';
import type { KeyStep as RuntimeKeyStep, Runtime } from '../../../src/runtime/types.js';
import { scrubSecrets } from '../../../src/spec/secrets.js';

/** Between two steps: a TUI that reads text and Enter in one burst may take them for a paste and
 * not submit; a separate call a moment later is a key press. */
export const KEY_GAP_MS = 100;

export function toRuntimeStep(s: KeyStep): RuntimeKeyStep {
  return 'literal' in s ? { text: s.literal } : { key: s.key };
}

/** Sends the steps in order, one call each. Throws when the runtime cannot type or a call fails. */
export async function typeKeys(
  rt: Runtime,
  name: string,
  steps: readonly KeyStep[],
  gapMs = KEY_GAP_MS,
): Promise<void> {
  if (!rt.sendKeys) throw new Error(`the ${rt.name} runtime has no terminal to type into`);
  for (const [i, s] of steps.entries()) {
    if (i > 0 && gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    await rt.sendKeys(name, [toRuntimeStep(s)]);
  }
}

/** True when `text` holds one of the secret values (in any of the forms scrubbing looks for). */
export function holdsSecret(text: string, secrets: readonly string[]): boolean {
  return secrets.length > 0 && scrubSecrets(text, secrets) !== text;
}
