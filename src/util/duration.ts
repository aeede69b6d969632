// Durations written like 500ms, 30s, 2m, 1h (pure), never longer than a timer can wait.
import ms from 'ms';

/** Node's timers hold a signed 32-bit count of milliseconds: a longer delay fires at once. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** Milliseconds, or undefined when the text is no duration (no upper bound). */
function toMs(text: string): number | undefined {
  const trimmed = text.trim();
  let value: number | undefined;
  try {
    value = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : ms(trimmed as ms.StringValue);
  } catch {
    value = undefined;
  }
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** True when the text is a duration a timer can wait for. */
export function isTimerDuration(text: string): boolean {
  const v = toMs(text);
  return v !== undefined && v <= MAX_DURATION_MS;
}

export function parseDuration(text: string): number {
  const value = toMs(text);
  if (value === undefined) throw new Error(`not a duration: "${text}" (write it like 500ms, 30s, 2m or 1h)`);
  if (value > MAX_DURATION_MS) throw new Error(`too long: "${text}" (at most 24 days: a longer delay cannot be timed)`);
  return value;
}

/** A duration given on the command line: a unit is required (`--resync 1` is refused, not read as
 * one second), except for a bare 0. */
export function parseFlagDuration(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text.trim()) && Number(text) !== 0)
    throw new Error(`"${text}" has no unit (write it like 500ms, ${text.trim()}s, 2m or 1h)`);
  return parseDuration(text);
}
