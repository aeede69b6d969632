// How many tokens a Claude model's context holds, and how full a turn's usage makes it (pure).

export const DEFAULT_CONTEXT_WINDOW = 200_000;
export const ONE_MILLION_WINDOW = 1_000_000;

/** Windows by model family, first match wins. Every current Claude family (Opus, Sonnet, Haiku)
 * has 200k tokens; the 1M-context variants are told apart by their name (below), and a model
 * nobody listed gets the default. */
const FAMILIES: readonly { pattern: RegExp; window: number }[] = [
  { pattern: /opus|sonnet|haiku/i, window: 200_000 },
  { pattern: /claude-(?:instant|2)\b/i, window: 100_000 },
];

/** `opus[1m]` (the alias the CLI takes), `claude-sonnet-4-5[1m]`, `…-1m`, `context-1m`. */
const ONE_MILLION = /\[1m\]|(?:^|[-_.])1m(?:$|[-_.\]])|context-1m/i;

/**
 * The window for a session. `models` are every name known for it: the model the transcript
 * records and the one the spec asked for (the transcript records `claude-opus-4-1`, while the
 * `[1m]` suffix that chose the 1M variant lives only in the spec's `opus[1m]`). Usage above the
 * family's window proves the larger one is in use.
 */
export function contextWindow(models: readonly (string | undefined)[], observedTokens = 0): number {
  const names = models.filter((m): m is string => typeof m === 'string' && m !== '');
  if (names.some((m) => ONE_MILLION.test(m))) return ONE_MILLION_WINDOW;
  const family = names.map((m) => FAMILIES.find((f) => f.pattern.test(m))).find((f) => f !== undefined);
  const window = family?.window ?? DEFAULT_CONTEXT_WINDOW;
  return observedTokens > window ? Math.max(ONE_MILLION_WINDOW, observedTokens) : window;
}

/** Token counts of an assistant turn as Claude Code records them (`message.usage`). */
export interface TurnUsage {
  input_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
  output_tokens?: number;
}

/** The context a turn occupied: every input token of its request (fresh, cache writes and cache
 * reads), as Claude Code's own status line counts it; the reply's output tokens are not in it. */
export function contextTokens(u: TurnUsage): number {
  const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
  return n(u.input_tokens) + n(u.cache_creation_input_tokens) + n(u.cache_read_input_tokens);
}

/** Percent of the window, one decimal, at most 100. */
export function percentOf(tokens: number, window: number): number {
  if (window <= 0) return 0;
  return Math.min(100, Math.round((tokens / window) * 1000) / 10);
}
