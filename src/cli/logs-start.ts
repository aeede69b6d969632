// The first read of `logs`: the last lines, or the lines since a time, each with the time the
// output clock first saw it (for --timestamps).
import type { AgentRecord } from '../registry/record.js';
import type { LogCursor, LogRead } from '../runtime/log-cursor.js';
import { firstSeen, sinceStart, type Sample } from '../logs/clock.js';

export interface StartRead {
  lines: string[];
  /** Epoch ms each line was first seen, or null: not known. */
  times: (number | null)[];
  cursor: LogCursor;
  skipped: boolean;
  /** Set when --since could not be honoured: why. */
  note?: string;
}

export interface StartInput {
  follow: (name: string, cursor: LogCursor | null, backlog: number) => Promise<LogRead>;
  name: string;
  record: AgentRecord | undefined;
  samples: readonly Sample[];
  /** The last lines to show (all since `sinceMs` when null). */
  lines: number | null;
  sinceMs: number | null;
  now: number;
}

const fromStart = (c: LogCursor): LogCursor =>
  c.kind === 'pane' ? { ...c, row: 0, historySize: c.historySize, lastRow: null } : { ...c, offset: 0 };

function stamped(
  read: LogRead,
  samples: readonly Sample[],
  keepLast: number | null,
  now: number,
  startedAt: number | null,
  note?: string,
): StartRead {
  const keep = keepLast === null ? 0 : Math.max(0, read.lines.length - keepLast);
  const lines = read.lines.slice(keep);
  const positions = (read.positions ?? []).slice(keep);
  return {
    lines,
    times: lines.map((_, i) =>
      positions[i] === undefined ? null : firstSeen(samples, positions[i], read.cursor, now, startedAt),
    ),
    cursor: read.cursor,
    skipped: read.skipped === true,
    ...(note ? { note } : {}),
  };
}

export async function startRead(i: StartInput): Promise<StartRead> {
  const backlog = i.lines ?? 50;
  if (i.sinceMs === null)
    return stamped(await i.follow(i.name, null, backlog), i.samples, null, i.now, i.record?.startedAt ?? null);
  const t0 = i.now - i.sinceMs;
  const current = (await i.follow(i.name, null, 0)).cursor;
  const start = sinceStart(i.samples, t0, current, i.record?.startedAt ?? null);
  if (start.from === 'unknown') {
    const when =
      start.oldest === null
        ? 'no output times are recorded yet'
        : `output times are recorded only since ${new Date(start.oldest).toISOString()}`;
    return stamped(
      await i.follow(i.name, null, backlog),
      i.samples,
      null,
      i.now,
      i.record?.startedAt ?? null,
      `${when} (the controller records them while it runs): showing the last ${backlog} lines`,
    );
  }
  const read = await i.follow(i.name, start.from === 'start' ? fromStart(current) : start.from, 0);
  return stamped(read, i.samples, i.lines, i.now, i.record?.startedAt ?? null);
}

/** `2026-11-29T11:40:59Z`, or a dash as wide when the time is not known. */
export function timestamp(ms: number | null): string {
  return ms === null ? '-'.padEnd(20) : `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
