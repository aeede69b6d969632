// Reduces a hook's combined output to a short, secret-free tail for events (pure).
import { scrubSecrets } from '../spec/secrets.js';

export const TAIL_LINES = 5;
export const TAIL_CHARS = 500;

/** Secrets are scrubbed before cutting, so a secret straddling the cut cannot leave a fragment. */
export function outputTail(text: string, secrets: readonly string[]): string {
  const clean = scrubSecrets(text, secrets).replace(/\r\n?/g, '\n').replace(/\s+$/, '');
  if (clean === '') return '';
  const lines = clean.split('\n');
  let tail = lines.slice(-TAIL_LINES).join('\n');
  if (tail.length > TAIL_CHARS) tail = `…${tail.slice(tail.length - TAIL_CHARS + 1)}`;
  return tail;
}
