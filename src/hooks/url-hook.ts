// Sends one URL hook: a JSON POST bounded by its timeout, which reports failure instead of throwing.
import { HookRequestError } from './errors.js';

/** Lifecycle hooks send `{agent, hook, specHash, time}`; notices (onWaiting, onIdle) their own. */
export type UrlPayload = { agent: string; hook: string; specHash: string; time: string } | Record<string, unknown>;

export interface UrlResult {
  ok: boolean;
  status: number | null;
  timedOut: boolean;
  durationMs: number;
  error?: HookRequestError;
}

export async function postUrl(url: string, entry: string, payload: UrlPayload, timeoutMs: number): Promise<UrlResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The body is not wanted; cancelling it frees the connection at once.
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300)
      return { ok: true, status: res.status, timedOut: false, durationMs: elapsed() };
    return {
      ok: false,
      status: res.status,
      timedOut: false,
      durationMs: elapsed(),
      error: new HookRequestError(entry, `HTTP ${res.status}`),
    };
  } catch (err) {
    const timedOut = err instanceof DOMException && err.name === 'TimeoutError';
    const reason = timedOut ? `timed out after ${timeoutMs}ms` : describeFetchError(err);
    return {
      ok: false,
      status: null,
      timedOut,
      durationMs: elapsed(),
      error: new HookRequestError(entry, reason, { cause: err }),
    };
  }
}

/** undici reports "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND) in cause. */
function describeFetchError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${err.message}: ${code}` : `${err.message}: ${cause.message}`;
  }
  return err.message;
}
