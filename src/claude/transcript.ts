// Reads a Claude agent's transcript incrementally: only the bytes added since the last poll.
//
// One reader per agent, kept between polls. Each poll lists the transcript folders, follows the
// newest non-empty `*.jsonl` (a new session file takes over; a file that shrank was truncated or
// replaced and is read afresh), reads from the remembered byte offset, and parses only complete
// lines: a last line without its newline yet waits, as bytes, for the rest. A file seen for the
// first time is read from its last INITIAL_TAIL_BYTES (whole lines only), widened backwards only
// when that tail holds no turn, so a long session is not read whole on every controller start.
import { join } from 'node:path';
import { transcriptFolderNames } from '../spec/claude-argv.js';
import {
  applyTranscriptLine,
  claudeStatusOf,
  EMPTY_TRANSCRIPT,
  type ClaudeStatus,
  type TranscriptState,
} from './transcript-parse.js';
import type { TranscriptFileInfo, TranscriptFiles } from './transcript-files.js';

export const INITIAL_TAIL_BYTES = 1 << 20;
export const READ_CHUNK_BYTES = 1 << 20;
/** A "line" longer than this is not a transcript line: it is dropped up to its newline. */
export const MAX_LINE_BYTES = 32 << 20;
const NEWLINE = 0x0a;

/** The folders Claude Code may keep this workdir's transcripts in. */
export function transcriptDirs(workdir: string, home: string): string[] {
  return transcriptFolderNames(workdir).map((f) => join(home, '.claude', 'projects', f));
}

interface Cursor {
  path: string;
  offset: number;
  /** Bytes after the last newline, waiting for the rest of their line. */
  partial: Uint8Array;
  /** Started mid-file (or dropped an over-long line): skip up to the next newline. */
  skipToNewline: boolean;
  mtimeMs: number;
}

export class TranscriptReader {
  private cursor: Cursor | undefined;
  private state: TranscriptState = EMPTY_TRANSCRIPT;
  /** Bytes read so far, for tests and the bench. */
  bytesRead = 0;

  /** `only`: follow that file name alone (the session the hooks named), never another session's. */
  constructor(
    private readonly files: TranscriptFiles,
    private readonly dirs: readonly string[],
    private readonly only?: string,
  ) {}

  /** The path being followed, if any. */
  get file(): string | undefined {
    return this.cursor?.path;
  }

  /** Reads what was added and returns the session's status. `configuredModel`: the spec's
   * claude.model (its `[1m]` picks the 1M window). */
  async poll(configuredModel?: string): Promise<ClaudeStatus> {
    const newest = await this.newest();
    if (!newest) {
      this.cursor = undefined;
      this.state = EMPTY_TRANSCRIPT;
      return { source: 'none', ...(configuredModel ? { model: configuredModel } : {}) };
    }
    if (this.cursor?.path !== newest.path || newest.info.size < this.cursor.offset)
      await this.open(newest.path, newest.info);
    else {
      this.cursor.mtimeMs = newest.info.mtimeMs;
      await this.readOn();
    }
    return claudeStatusOf(this.state, configuredModel, this.cursor?.mtimeMs);
  }

  private async newest(): Promise<{ path: string; info: TranscriptFileInfo } | undefined> {
    let best: { path: string; info: TranscriptFileInfo } | undefined;
    for (const dir of this.dirs) {
      for (const info of await this.files.list(dir)) {
        if (!info.name.endsWith('.jsonl') || info.size === 0) continue;
        if (this.only !== undefined && info.name !== this.only) continue;
        if (
          !best ||
          info.mtimeMs > best.info.mtimeMs ||
          (info.mtimeMs === best.info.mtimeMs && info.name > best.info.name)
        ) {
          best = { path: join(dir, info.name), info };
        }
      }
    }
    return best;
  }

  /** Starts following a file: its tail first, widened until it holds a turn or is the whole file. */
  private async open(path: string, info: TranscriptFileInfo): Promise<void> {
    for (let tail = INITIAL_TAIL_BYTES; ; tail *= 4) {
      const start = Math.max(0, info.size - tail);
      this.cursor = {
        path,
        offset: start,
        partial: new Uint8Array(0),
        skipToNewline: start > 0,
        mtimeMs: info.mtimeMs,
      };
      this.state = EMPTY_TRANSCRIPT;
      await this.readOn();
      if (this.state.sawContext || start === 0 || !this.cursor) return;
    }
  }

  private async readOn(): Promise<void> {
    for (;;) {
      const c = this.cursor;
      if (!c) return;
      const chunk = await this.files.readFrom(c.path, c.offset, READ_CHUNK_BYTES);
      if (chunk === null) {
        this.cursor = undefined; // vanished: the next poll picks the newest file again
        return;
      }
      if (chunk.length === 0) return;
      this.bytesRead += chunk.length;
      c.offset += chunk.length;
      this.consume(c, chunk);
      if (chunk.length < READ_CHUNK_BYTES) return;
    }
  }

  private consume(c: Cursor, chunk: Uint8Array): void {
    const buf = c.partial.length > 0 ? concat(c.partial, chunk) : chunk;
    let lineStart = 0;
    for (let i = buf.indexOf(NEWLINE); i !== -1; i = buf.indexOf(NEWLINE, lineStart)) {
      if (c.skipToNewline) c.skipToNewline = false;
      else
        this.state = applyTranscriptLine(
          this.state,
          Buffer.from(buf.buffer, buf.byteOffset + lineStart, i - lineStart).toString('utf8'),
        );
      lineStart = i + 1;
    }
    c.partial = buf.slice(lineStart);
    if (c.partial.length > MAX_LINE_BYTES) {
      c.partial = new Uint8Array(0);
      c.skipToNewline = true;
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
