// Reading many agents' activity files in one pass: the batched interface, and its local implementation (node:fs).
import { readFileRange } from '../../util/file-range.js';
import { stat } from 'node:fs/promises';

export interface ActivityFileWant {
  path: string;
  /** Read from this byte, or the last `fromEnd` bytes of the file. */
  offset?: number;
  fromEnd?: number;
  maxBytes: number;
  /** Skip the read when the file still has this size and mtime. */
  unless?: { size: number; mtimeMs: number };
}

export interface ActivityFileRead {
  size: number;
  mtimeMs: number;
  /** Where `bytes` start in the file. */
  start: number;
  /** Null when nothing was to be read (no new bytes, unchanged). */
  bytes: Buffer | null;
}

/** Reads of one machine, batched: one call per poll for every agent there. */
export interface ActivityFiles {
  readMany(wants: readonly ActivityFileWant[]): Promise<Map<string, ActivityFileRead | null>>;
}

/** Where a want starts reading in a file of `size` bytes, and how much (pure; shared by every machine). */
export function rangeOf(w: ActivityFileWant, size: number): { start: number; length: number } {
  const start = w.fromEnd !== undefined ? Math.max(0, size - w.fromEnd) : Math.min(w.offset ?? 0, size);
  return { start, length: Math.max(0, Math.min(w.maxBytes, size - start)) };
}

async function readOne(w: ActivityFileWant): Promise<ActivityFileRead | null> {
  let s;
  try {
    s = await stat(w.path);
  } catch {
    return null;
  }
  if (!s.isFile()) return null;
  const r = rangeOf(w, s.size);
  const same = w.unless && w.unless.size === s.size && w.unless.mtimeMs === s.mtimeMs;
  if (same || r.length === 0) return { size: s.size, mtimeMs: s.mtimeMs, start: r.start, bytes: null };
  const bytes = await readFileRange(w.path, () => r);
  return bytes ? { size: s.size, mtimeMs: s.mtimeMs, start: r.start, bytes } : null;
}

/** Plain fs reads, all at once: one stat per file, a read only where something is new. */
export const localActivityFiles: ActivityFiles = {
  async readMany(wants) {
    const got = await Promise.all(wants.map(async (w) => [w.path, await readOne(w)] as const));
    return new Map(got);
  },
};
