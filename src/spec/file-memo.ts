// Parsed spec files kept by their file's identity (device, inode, size, times), so that a reload
// reads again only the files that changed: one stat instead of open, read and parse.
//
// A file's times come from a clock that may tick only every few milliseconds (and every 2 s on
// some filesystems): a file rewritten within the same tick as the read it was remembered at could
// keep the same mtime. As git does with "racily clean" entries, a file is trusted only when it was
// last modified well before it was read; a file modified recently is read every time until then.
import { statSync, type BigIntStats } from 'node:fs';
import type { SpecFileRef } from './walk.js';
import type { ParsedFile } from './yaml-source.js';

/** Longer than any filesystem's timestamp granularity (FAT: 2 s). */
const SETTLED_NS = 3_000_000_000n;

export interface Remembered {
  parsed: ParsedFile;
  /** The parse cache's entry for the file, kept alive while the file is. */
  key?: string;
}

interface Entry extends Remembered {
  id: string;
}

const identity = (s: BigIntStats): string => `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;

export class FileMemo {
  private entries = new Map<string, Entry>();
  private used = new Set<string>();

  /** The stat of the file now, or undefined when it cannot be taken (the read reports why). */
  stat(ref: SpecFileRef): BigIntStats | undefined {
    try {
      return statSync(ref.real, { bigint: true });
    } catch {
      return undefined;
    }
  }

  /** The file as parsed before, if it is the very same file and was settled when it was read. */
  get(ref: SpecFileRef, s: BigIntStats | undefined): Remembered | undefined {
    if (!s) return undefined;
    const key = `${ref.shown}\0${ref.real}`;
    const e = this.entries.get(key);
    if (!e || e.id !== identity(s)) return undefined;
    this.used.add(key);
    return e;
  }

  /** Remembers what was read from the file whose stat, taken before the read, is `s`. */
  set(ref: SpecFileRef, s: BigIntStats | undefined, r: Remembered, readAtNs: bigint): void {
    const key = `${ref.shown}\0${ref.real}`;
    this.used.add(key);
    if (!s || readAtNs - s.mtimeNs < SETTLED_NS || readAtNs - s.ctimeNs < SETTLED_NS) {
      this.entries.delete(key);
      return;
    }
    this.entries.set(key, { id: identity(s), ...r });
  }

  /** Ends a load: forgets files that load did not see. */
  sweep(): void {
    for (const k of this.entries.keys()) if (!this.used.has(k)) this.entries.delete(k);
    this.used.clear();
  }
}
