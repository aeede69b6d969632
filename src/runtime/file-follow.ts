// Following an output file that only grows (a Slurm job's): where to read from, and the complete lines read (pure).
import type { FileCursor } from './log-cursor.js';

/** A first read looks this far back for its last lines; a read never takes more than MAX_READ:
 * output written faster than a follower reads is skipped, and said to be. */
export const BACKLOG_BYTES = 512 * 1024;
export const MAX_READ_BYTES = 4 * 1024 * 1024;

export interface FileReadPlan {
  from: number;
  first: boolean;
  /** Bytes between the cursor and `from` are not read. */
  skipped: boolean;
}

export function planFileRead(cursor: FileCursor | null, path: string, size: number): FileReadPlan {
  if (cursor === null) return { from: Math.max(0, size - BACKLOG_BYTES), first: true, skipped: false };
  // Another file, or the same one started afresh (a new job truncates it): all of it is new.
  const from = cursor.path !== path || size < cursor.offset ? 0 : cursor.offset;
  return size - from > MAX_READ_BYTES
    ? { from: size - MAX_READ_BYTES, first: false, skipped: true }
    : { from, first: false, skipped: false };
}

/** The complete lines of `text` (read from byte `from`), and the offset after the last of them.
 * A line still being written is left for the next read; a read that starts inside a line
 * (a first read, a skip) drops that line's end. */
export function splitRead(
  text: string,
  p: FileReadPlan,
  backlog: number,
): { lines: string[]; positions: number[]; offset: number } {
  const end = text.lastIndexOf('\n');
  if (end < 0) return { lines: [], positions: [], offset: p.from };
  const body = text.slice(0, end + 1);
  const offset = p.from + Buffer.byteLength(body);
  let lines = body.slice(0, -1).split('\n');
  let positions: number[] = [];
  let at = p.from;
  for (const l of lines) {
    positions.push(at);
    at += Buffer.byteLength(l) + 1;
  }
  if (p.from > 0 && (p.first || p.skipped)) {
    lines = lines.slice(1);
    positions = positions.slice(1);
  }
  if (p.first) {
    const keep = Math.max(0, lines.length - backlog);
    lines = lines.slice(keep);
    positions = positions.slice(keep);
  }
  return { lines, positions, offset };
}

/** `stat -c '%s %n'` output: the size of each file that exists. */
export function parseSizes(stdout: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const m = /^(\d+) (.+)$/.exec(line);
    if (m) out.set(m[2]!, Number(m[1]));
  }
  return out;
}
