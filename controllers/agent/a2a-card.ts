// The A2A card check: fetched with a timeout and a size bound, passes when it is JSON naming the agent.
import type { ProbeResult } from './health.js';

/** A card is a few KB; anything past this is not one. */
export const MAX_CARD_BYTES = 256 * 1024;

/** Judges a fetched card (pure): JSON, an object, and `name` equal to the expected one. */
export function judgeCard(status: number, body: string, expected: string): ProbeResult {
  if (status < 200 || status >= 300) return { ok: false, message: `agent card: HTTP ${status}` };
  let card: unknown;
  try {
    card = JSON.parse(body);
  } catch {
    return { ok: false, message: 'agent card is not JSON' };
  }
  if (card === null || typeof card !== 'object' || Array.isArray(card))
    return { ok: false, message: 'agent card is not a JSON object' };
  const name = (card as { name?: unknown }).name;
  if (typeof name !== 'string') return { ok: false, message: 'agent card has no name' };
  if (name !== expected)
    return {
      ok: false,
      message: `agent card names ${JSON.stringify(name.slice(0, 80))}, not ${JSON.stringify(expected)}`,
    };
  return { ok: true, message: '' };
}

/** GET the card (no redirects followed: a card that moved is a misconfiguration to see). */
export async function fetchCard(url: string, expected: string, timeoutMs: number): Promise<ProbeResult> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { signal, redirect: 'manual', headers: { accept: 'application/json' } });
    const body = await readBounded(res);
    if (body === undefined) return { ok: false, message: `agent card larger than ${MAX_CARD_BYTES} bytes` };
    return judgeCard(res.status, body, expected);
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError') return { ok: false, message: `agent card: timed out after ${timeoutMs / 1000}s` };
    return { ok: false, message: `agent card: ${e.cause?.code ?? e.message}` };
  }
}

async function readBounded(res: Response): Promise<string | undefined> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_CARD_BYTES) {
      await res.body.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
