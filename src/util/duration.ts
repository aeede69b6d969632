// Durations written like 500ms, 30s, 2m, 1h (pure).
import ms from 'ms';

export function parseDuration(text: string): number {
  const trimmed = text.trim();
  let value: number | undefined;
  try {
    value = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : ms(trimmed as ms.StringValue);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`not a duration: "${text}" (write it like 500ms, 30s, 2m or 1h)`);
  }
  return value;
}
