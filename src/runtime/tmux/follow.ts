// Following a pane's output (pure): which rows are new since a cursor, the tmux commands that read
// them, and what those commands printed.
//
// A row is read once the cursor has moved below it: the cursor's row is the line being written
// (a prompt, a progress bar) and is read when it is finished. Rows are counted from the top of the
// history, which tmux trims by a tenth of its limit when full; the row before the new ones is read
// back and compared with what was read last, so a shift (trim, clear-history) is never taken for
// new output: what cannot be placed is skipped, never shown twice.
import type { PaneCursor } from '../log-cursor.js';
import { CAPTURE_MARK, tidyCapture } from './commands.js';

export const PANE_STATE_FORMAT = '#{pane_id} #{pane_pid} #{history_size} #{history_limit} #{cursor_y} #{pane_dead}';

export interface PaneState {
  /** The pane's id and its process: a server started afresh (after its last session closed)
   * numbers its panes from %0 again. */
  pane: string;
  historySize: number;
  historyLimit: number;
  cursorY: number;
  dead: boolean;
}

export function parsePaneState(line: string): PaneState | null {
  const m = /^(%\d+) (\d+) (\d+) (\d+) (\d+) ([01])$/.exec(line.trim());
  if (!m) return null;
  return {
    pane: `${m[1]!}/${m[2]!}`,
    historySize: Number(m[3]),
    historyLimit: Number(m[4]),
    cursorY: Number(m[5]),
    dead: m[6] === '1',
  };
}

/** Rows read before the last ones, for a first read: blank screen rows are dropped before counting. */
const BACKLOG_SLACK = 200;

export interface ReadPlan {
  /** Absolute rows to read, both ends included; null when nothing is new. */
  range: { start: number; end: number } | null;
  /** Text the row before `range.start` must have (what was read last), or null: no check. */
  check: string | null;
  /** A first read (no cursor): the last `backlog` lines only. */
  first: boolean;
  /** Rows were lost before they could be read (trimmed past the cursor, another pane). */
  lost: boolean;
  /** The cursor's row when nothing is read. */
  row: number;
}

/** The last row that is finished: the one above the cursor, or the dead pane's notice. */
const lastDone = (s: PaneState): number => s.historySize + s.cursorY - (s.dead ? 0 : 1);

export function planRead(cursor: PaneCursor | null, s: PaneState, backlog: number): ReadPlan {
  const end = lastDone(s);
  if (cursor === null) {
    if (backlog <= 0 || end < 0) return { range: null, check: null, first: true, lost: false, row: end + 1 };
    return {
      range: { start: Math.max(0, end + 1 - backlog - BACKLOG_SLACK), end },
      check: null,
      first: true,
      lost: false,
      row: end + 1,
    };
  }
  // Another pane under the same name: a new incarnation, all of whose output is new.
  if (cursor.pane !== s.pane)
    return { range: end >= 0 ? { start: 0, end } : null, check: null, first: false, lost: false, row: 0 };
  const step = Math.max(1, Math.floor(s.historyLimit / 10));
  const dropped =
    s.historySize < cursor.historySize ? Math.ceil((cursor.historySize - s.historySize) / step) * step : 0;
  const row = cursor.row - dropped;
  const lost = row < 0;
  const start = Math.max(0, row);
  if (end < start) return { range: null, check: null, first: false, lost, row: start };
  return { range: { start, end }, check: start > 0 && !lost ? cursor.lastRow : null, first: false, lost, row: start };
}

const SPLIT = `${CAPTURE_MARK}follow`;

/** One chained tmux call: the pane's state, the row before the range (when checked), the range
 * (wrapped lines joined) and its last row as it stands, each part after a marker line. */
export function readCommands(target: string, p: ReadPlan, s: PaneState): string[][] {
  const { start, end } = p.range!;
  const rel = (row: number): string => String(row - s.historySize);
  const cmds: string[][] = [['display-message', '-p', '-t', target, PANE_STATE_FORMAT]];
  if (p.check !== null)
    cmds.push(
      ['display-message', '-p', '-t', target, SPLIT],
      ['capture-pane', '-p', '-t', target, '-S', rel(start - 1), '-E', rel(start - 1)],
    );
  cmds.push(
    ['display-message', '-p', '-t', target, SPLIT],
    ['capture-pane', '-p', '-J', '-t', target, '-S', rel(start), '-E', rel(end)],
  );
  cmds.push(
    ['display-message', '-p', '-t', target, SPLIT],
    ['capture-pane', '-p', '-t', target, '-S', rel(end), '-E', rel(end)],
  );
  return cmds;
}

export interface ReadOutput {
  state: PaneState | null;
  checkRow: string | null;
  body: string;
  lastRow: string;
}

export function parseRead(stdout: string, checked: boolean): ReadOutput {
  const parts = stdout.split(`${SPLIT}\n`);
  const state = parsePaneState(parts[0] ?? '');
  const rest = parts.slice(1);
  const checkRow = checked ? (rest.shift() ?? '').replace(/\n$/, '') : null;
  return { state, checkRow, body: rest[0] ?? '', lastRow: (rest[1] ?? '').replace(/\n$/, '') };
}

export type ReadResult =
  { moved: true } | { moved: false; lines: string[]; positions: number[]; cursor: PaneCursor; skipped: boolean };

/** What a read gave, or `moved` when the pane scrolled (or changed) between planning and reading:
 * the rows read are then not the ones planned, and the read is done again. */
export function finishRead(p: ReadPlan, planned: PaneState, out: ReadOutput, backlog: number): ReadResult {
  const s = out.state;
  if (!s || s.pane !== planned.pane || s.historySize !== planned.historySize) return { moved: true };
  const { end } = p.range!;
  const cursor: PaneCursor = {
    kind: 'pane',
    pane: s.pane,
    row: end + 1,
    historySize: s.historySize,
    historyLimit: s.historyLimit,
    lastRow: out.lastRow.trimEnd(),
  };
  if (p.check !== null && (out.checkRow ?? '').trimEnd() !== p.check)
    return { moved: false, lines: [], positions: [], cursor, skipped: true };
  let lines =
    out.body === ''
      ? []
      : out.body
          .replace(/\n$/, '')
          .split('\n')
          .map((l) => l.trimEnd());
  // A first read keeps the last lines that are not blank screen rows; a dead pane's notice sits on
  // the bottom row, below blank rows that were never output.
  if (p.first || planned.dead) {
    const tidy = tidyCapture(lines.join('\n'), p.first ? backlog : Number.MAX_SAFE_INTEGER);
    lines = tidy === '' ? [] : tidy.replace(/\n$/, '').split('\n');
  }
  // Rows counted back from the cursor: exact but for wrapped lines (joined) and dropped blank rows.
  return {
    moved: false,
    lines,
    positions: lines.map((_, i) => cursor.row - lines.length + i),
    cursor,
    skipped: p.lost,
  };
}

/** The cursor after a read that found nothing new. */
export function idleCursor(p: ReadPlan, s: PaneState, previous: PaneCursor | null): PaneCursor {
  const same = previous !== null && previous.pane === s.pane && !p.lost;
  return {
    kind: 'pane',
    pane: s.pane,
    row: p.row,
    historySize: s.historySize,
    historyLimit: s.historyLimit,
    lastRow: same ? previous.lastRow : null,
  };
}

/** Where a pane's output ends now, for the output clock: one `list-panes -a` row per pane. */
export const MARKS_FORMAT = `#{session_name}\t${PANE_STATE_FORMAT}`;

export function parseMarks(stdout: string, names: ReadonlySet<string>): Map<string, PaneCursor> {
  const out = new Map<string, PaneCursor>();
  for (const line of stdout.split('\n')) {
    const tab = line.indexOf('\t');
    const name = line.slice(0, tab);
    if (tab < 0 || !names.has(name) || out.has(name)) continue;
    const s = parsePaneState(line.slice(tab + 1));
    if (s)
      out.set(name, {
        kind: 'pane',
        pane: s.pane,
        row: lastDone(s) + 1,
        historySize: s.historySize,
        historyLimit: s.historyLimit,
        lastRow: null,
      });
  }
  return out;
}
