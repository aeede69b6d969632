// When output was written, as far as anyone recorded (pure): samples of where each agent's output
// ended, taken by the controller at every resync, answer `logs --since` and `--timestamps`.
//
// Neither tmux nor a job's output file keeps a time per line. A sample says "by time t, the output
// reached this row (tmux) or byte (file)". A line is therefore stamped with the first sample that
// saw it (an upper bound, at most one resync late); a line older than every sample has no time.
import type { LogCursor } from '../runtime/log-cursor.js';

export interface Sample {
  /** Epoch milliseconds. */
  t: number;
  c: LogCursor;
  /** Rows tmux had trimmed off the pane's history since the stream's first sample: a row's
   * place in the whole output is its row plus this (for a file, 0). */
  d?: number;
}

/** Rows trimmed between two looks at a pane: tmux drops a tenth of the limit at a time when the
 * history is full, so a smaller history means that many tenths (at least) were dropped. */
export function trimmedBetween(before: LogCursor, now: LogCursor): number {
  if (before.kind !== 'pane' || now.kind !== 'pane' || now.historySize >= before.historySize) return 0;
  const step = Math.max(1, Math.floor((now.historyLimit ?? 10_000) / 10));
  return Math.ceil((before.historySize - now.historySize) / step) * step;
}

/** A stream's first sample stamps the lines before it only if taken this soon after its start. */
export const FIRST_SAMPLE_WITHIN_MS = 30_000;

/** What identifies one stream of output: the pane (an incarnation) or the file. */
export const streamOf = (c: LogCursor): string => (c.kind === 'pane' ? `pane:${c.pane}` : `file:${c.path}`);
export const positionOf = (c: LogCursor): number => (c.kind === 'pane' ? c.row : c.offset);

/** The sample to append for cursor `c` seen at `t`, or null when the stream has not moved. */
export function nextSample(last: Sample | undefined, c: LogCursor, t: number): Sample | null {
  const same = last !== undefined && streamOf(last.c) === streamOf(c);
  if (
    same &&
    positionOf(last.c) === positionOf(c) &&
    !(c.kind === 'pane' && last.c.kind === 'pane' && c.historySize !== last.c.historySize)
  )
    return null;
  const d = same ? (last.d ?? 0) + trimmedBetween(last.c, c) : 0;
  return d > 0 ? { t, c, d } : { t, c };
}

/** Keeps the newest `max` samples. */
export function compact(samples: readonly Sample[], max: number): Sample[] {
  return samples.length > max ? samples.slice(samples.length - max) : [...samples];
}

/** A position of the stream in whole-output terms (rows never shift once trimmed ones count). */
const whole = (s: Sample): number => positionOf(s.c) + (s.d ?? 0);

/** Trims of the current stream since its last sample, carried to `now`. */
function nowWhole(samples: readonly Sample[], now: LogCursor): { offset: number } {
  const last = samples.filter((s) => streamOf(s.c) === streamOf(now)).at(-1);
  return { offset: last ? (last.d ?? 0) + trimmedBetween(last.c, now) : 0 };
}

export type SinceStart = { from: LogCursor } | { from: 'start' } | { from: 'unknown'; oldest: number | null };

/** Where output newer than `t0` starts in the stream `now` belongs to: the newest sample of it at
 * or before t0 (so up to one resync of older lines may show, never fewer than asked), as a cursor
 * of today's rows; its start when it began after t0 (by the record, or because samples older than
 * t0 never saw it); otherwise unknown (nothing was sampled that long ago). */
export function sinceStart(
  samples: readonly Sample[],
  t0: number,
  now: LogCursor,
  streamStartedAt: number | null,
): SinceStart {
  const before = samples.filter((s) => s.t <= t0 && streamOf(s.c) === streamOf(now)).at(-1);
  if (before) {
    if (before.c.kind === 'file' || now.kind !== 'pane') return { from: before.c };
    const row = whole(before) - nowWhole(samples, now).offset;
    return row <= 0 ? { from: 'start' } : { from: { ...now, row, lastRow: null } };
  }
  if (streamStartedAt !== null && streamStartedAt >= t0) return { from: 'start' };
  if (samples[0] && samples[0].t <= t0) return { from: 'start' };
  return { from: 'unknown', oldest: samples[0]?.t ?? null };
}

/** When the line at `position` (today's row or byte) of the stream `now` was first seen: the
 * first sample whose output reached past it, the read's own time when it is newer than every
 * sample; null when the stream was never sampled, or not before this line. */
export function firstSeen(
  samples: readonly Sample[],
  position: number,
  now: LogCursor,
  readAt: number,
  streamStartedAt: number | null,
): number | null {
  const at = position + nowWhole(samples, now).offset;
  let sampled = false;
  for (const s of samples) {
    if (streamOf(s.c) !== streamOf(now)) continue;
    // Before the stream's first sample: only known if that sample came soon after its start
    // (otherwise the line may be from long before anyone was sampling).
    if (!sampled && whole(s) > at && (streamStartedAt === null || s.t - streamStartedAt > FIRST_SAMPLE_WITHIN_MS))
      return null;
    sampled = true;
    if (whole(s) > at) return s.t;
  }
  // Written after the last sample: first seen by the read itself.
  return sampled ? readAt : null;
}
