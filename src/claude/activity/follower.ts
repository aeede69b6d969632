// Follows one incarnation's events and status files: only new bytes each poll, folded into its activity.
//
// The events file is read from the remembered offset (a file seen first is read from its last
// FIRST_READ_BYTES only: the activity is in its latest lines, and any hook there means the session
// had started); complete lines are parsed, a last line without its newline waits. At most
// READ_CHUNK_BYTES are read per poll, so a huge file costs a few polls, never one giant read. A file
// that shrank was replaced and is read afresh. The status file is read again only when it changed.
import type { ActivityFileRead, ActivityFileWant } from './files.js';
import { parseEventLine, splitLines, type ActivityEvent } from './events-parse.js';
import { reduceActivity, STARTING, type ActivityState } from './reduce.js';

export const FIRST_READ_BYTES = 256 * 1024;
export const READ_CHUNK_BYTES = 1024 * 1024;
/** A partial line longer than this is garbage (the hook cuts lines far below it): dropped. */
const MAX_PARTIAL = 256 * 1024;

export interface FollowerPaths {
  incarnation: string;
  events: string;
  status: string;
  capBytes: number;
}

export class ActivityFollower {
  private offset: number | undefined;
  private partial = '';
  private skipToNewline = false;
  private statusSeen: { size: number; mtimeMs: number } | undefined;
  state: ActivityState = STARTING;
  /** The events file reached its cap: later hooks are not recorded. */
  capped = false;
  /** Lines skipped as unreadable or of another incarnation (tests, debug logs). */
  skipped = 0;
  /** The hook events folded in by the last take (send looks for its UserPromptSubmit here). */
  lastEvents: ActivityEvent[] = [];

  constructor(readonly paths: FollowerPaths) {}

  /** What to read this poll. */
  wants(): ActivityFileWant[] {
    const p = this.paths;
    return [
      this.offset === undefined
        ? { path: p.events, fromEnd: FIRST_READ_BYTES, maxBytes: READ_CHUNK_BYTES }
        : { path: p.events, offset: this.offset, maxBytes: READ_CHUNK_BYTES },
      {
        path: p.status,
        offset: 0,
        maxBytes: READ_CHUNK_BYTES,
        ...(this.statusSeen ? { unless: this.statusSeen } : {}),
      },
    ];
  }

  /** Folds what was read; returns true when the state changed. */
  take(got: ReadonlyMap<string, ActivityFileRead | null>): boolean {
    const before = this.state;
    this.lastEvents = [];
    const ev = got.get(this.paths.events);
    if (ev) this.takeEvents(ev);
    const st = got.get(this.paths.status);
    if (st && st.bytes) {
      this.statusSeen = { size: st.size, mtimeMs: st.mtimeMs };
      const line = st.bytes.toString('utf8').split('\n')[0] ?? '';
      const e = parseEventLine(line, this.paths.incarnation);
      if (e?.kind === 'status') this.state = reduceActivity(this.state, e);
    }
    return this.state !== before;
  }

  private takeEvents(r: ActivityFileRead): void {
    if (this.offset !== undefined && r.size < this.offset) {
      this.offset = 0; // replaced: read afresh from the next poll (its events fold over what is known)
      this.partial = '';
      return;
    }
    this.capped = r.size >= this.paths.capBytes;
    if (!r.bytes) return;
    if (this.offset === undefined && r.start > 0) this.skipToNewline = true;
    this.offset = r.start + r.bytes.length;
    let chunk = r.bytes.toString('utf8');
    if (this.skipToNewline) {
      const nl = chunk.indexOf('\n');
      if (nl < 0) return;
      chunk = chunk.slice(nl + 1);
      this.skipToNewline = false;
    }
    const { lines, partial } = splitLines(this.partial, chunk);
    this.partial = partial.length > MAX_PARTIAL ? '' : partial;
    if (partial.length > MAX_PARTIAL) this.skipToNewline = true;
    for (const line of lines) {
      const e = parseEventLine(line, this.paths.incarnation);
      if (e) {
        this.state = reduceActivity(this.state, e);
        this.lastEvents.push(e);
      } else if (line !== '') this.skipped++;
    }
  }
}
