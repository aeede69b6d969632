// Typing into agents' terminals: each key step its own tmux call a moment apart, many agents per call, never a secret.
import type { KeyStep } from '../../../src/claude/keys.js';
import type { KeyStep as RuntimeKeyStep, Runtime } from '../../../src/runtime/types.js';
import { holdsSecret as textHoldsSecret } from '../../../src/terminal/send-text.js';

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
  const err = (await typeKeysMany(rt, new Map([[name, steps]]), gapMs)).get(name);
  if (err) throw err;
}

/**
 * Types each agent's steps, step by step: the i-th step of every agent goes out in one call (one
 * tmux client for the whole fleet, not one per agent), then a gap, then the next. An agent whose
 * step fails gets no further steps. Resolves with the error of each agent not fully typed into.
 */
export async function typeKeysMany(
  rt: Runtime,
  batch: ReadonlyMap<string, readonly KeyStep[]>,
  gapMs = KEY_GAP_MS,
): Promise<Map<string, Error>> {
  const failed = new Map<string, Error>();
  if (!rt.sendKeys) {
    const e = new Error(`the ${rt.name} runtime has no terminal to type into`);
    for (const n of batch.keys()) failed.set(n, e);
    return failed;
  }
  const rounds = Math.max(0, ...[...batch.values()].map((s) => s.length));
  for (let i = 0; i < rounds; i++) {
    const round = new Map<string, RuntimeKeyStep[]>();
    for (const [n, steps] of batch) if (i < steps.length && !failed.has(n)) round.set(n, [toRuntimeStep(steps[i]!)]);
    if (round.size === 0) break;
    if (i > 0 && gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    for (const [n, e] of await sendRound(rt, round)) failed.set(n, e);
  }
  return failed;
}

async function sendRound(rt: Runtime, round: Map<string, RuntimeKeyStep[]>): Promise<Map<string, Error>> {
  if (rt.sendKeysMany) return rt.sendKeysMany(round);
  const failed = new Map<string, Error>();
  for (const [n, steps] of round) await rt.sendKeys!(n, steps).catch((e: Error) => failed.set(n, e));
  return failed;
}

/** True when `text` holds one of the secret values (also once invisible characters are removed). */
export function holdsSecret(text: string, secrets: readonly string[]): boolean {
  return textHoldsSecret(text, secrets);
}
