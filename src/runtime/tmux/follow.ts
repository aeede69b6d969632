// Following a pane's output (pure): which rows are new since a cursor, the tmux commands that read
// them, and what those commands printed.
//
// A row is read once the cursor has moved below it: the cursor's row is the line being written
// (a prompt, a progress bar) and is read when it is finished. Rows are counted from the top of the
// history, which tmux trims by a tenth of its limit when full; the row before the new ones is read
// back and compared with what was read last, so a shift (trim, clear-history) is never taken for
// new output: what cannot be placed is skipped, never shown twice.
//
// tmux places capture-pane's rows relative to the screen's top, which moves as output scrolls, and
// knows no row counted from the history's top. So a read asks for rows from a margin above the
// first one it wants, to the screen's bottom, and the pane's state in the same call (tmux runs a
// call's commands at once) tells which rows it got: output that scrolled since the last read,
// up to the margin, moves the rows in the capture, never past its top. A pane printing faster is
// read again from the state that read saw.
import type { PaneCursor } from '../log-cursor.js';
import { CAPTURE_MARK } from './commands.js';

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

/** Rows read above the first one wanted, so that a read still holds its rows when the pane
 * scrolled after the state it was placed from (the last read, or one tmux call before). */
export const READ_MARGIN = 32;

/** Where a read starts (`from`, counted from the history's top as it was at `historySize`): the
 * margin above the last read's end, or, for a first read, the backlog and its slack above the
 * screen's top (wherever the cursor is, the last lines are below). */
export function readStart(
  previous: PaneCursor | null,
  backlog: number,
  margin = READ_MARGIN,
): { from: number; historySize: number } {
  if (previous === null) return { from: -(Math.max(0, backlog) + BACKLOG_SLACK + margin), historySize: 0 };
  return { from: previous.row - margin, historySize: previous.historySize };
}

/** Where a read starts again after one that did not reach back far enough, from the state it saw. */
export function readAgain(
  previous: PaneCursor | null,
  s: PaneState,
  backlog: number,
  margin: number,
): { from: number; historySize: number } {
  const p = planRead(previous, s, backlog);
  return { from: (neededFrom(p) ?? lastDone(s) + 1) - margin, historySize: s.historySize };
}

const SPLIT = `${CAPTURE_MARK}follow`;

/** One chained tmux call, run by the server at once (no pane output is taken in between): the
 * pane's state, then the rows from `from` (counted from the history's top as it was when
 * `historySize` was seen) to the screen's bottom, twice: a row a line with its trailing spaces
 * (-N), and wrapped rows joined (-J), which tells which rows wrap. */
export function readCommands(target: string, from: number, historySize: number): string[][] {
  const range = ['-S', String(from - historySize), '-E', '-'];
  return [
    ['display-message', '-p', '-t', target, PANE_STATE_FORMAT],
    ['display-message', '-p', '-t', target, SPLIT],
    ['capture-pane', '-p', '-N', '-t', target, ...range],
    ['display-message', '-p', '-t', target, SPLIT],
    ['capture-pane', '-p', '-J', '-t', target, ...range],
  ];
}

/** What one read holds: the pane as it stood, and its rows from `top` (counted from the history's
 * top as it stands) to the screen's bottom. */
export interface PaneRead {
  state: PaneState;
  top: number;
  rows: string[];
  /** Whether each row wraps onto the next (one long line). */
  wrapped: boolean[];
}

/** Which rows wrap onto the next: the joined capture is the same rows' text with a newline after
 * each row that does not. Null when the two do not agree (then no row is joined). */
export function wrappedRows(rows: readonly string[], joined: string): boolean[] | null {
  const out: boolean[] = [];
  let at = 0;
  for (const row of rows) {
    if (!joined.startsWith(row, at)) return null;
    at += row.length;
    const ends = joined[at] === '\n';
    if (ends) at++;
    out.push(!ends);
  }
  return at === joined.length ? out : null;
}

/** Splits a read's output; `from` and `historySize` are what the commands were made with. The
 * first row is placed as tmux places `-S`: relative to the history as the read found it. */
export function parseRead(stdout: string, from: number, historySize: number): PaneRead | null {
  const [head, rowsText, joined] = stdout.split(`${SPLIT}\n`);
  const state = parsePaneState(head ?? '');
  if (!state || rowsText === undefined || joined === undefined) return null;
  const rows = rowsText === '' ? [] : rowsText.replace(/\n$/, '').split('\n');
  const n = from - historySize;
  const top = n < 0 && -n > state.historySize ? 0 : state.historySize + n;
  return { state, top, rows, wrapped: wrappedRows(rows, joined) ?? rows.map(() => false) };
}

export type ReadResult =
  | { moved: true; state: PaneState }
  | { moved: false; lines: string[]; positions: number[]; cursor: PaneCursor; skipped: boolean };

/** The rows a read must hold to be placed: from the one it checks (or the first new one). */
export function neededFrom(p: ReadPlan): number | null {
  return p.range === null ? null : p.range.start - (p.check !== null ? 1 : 0);
}

/** The new lines a read holds, or `moved` when the rows wanted scrolled above it (output faster
 * than the margin between the state it was placed from and the read): read again from there.
 * The plan is made from the state read with the rows, so rows are placed exactly. */
export function finishRead(previous: PaneCursor | null, read: PaneRead, backlog: number): ReadResult {
  const s = read.state;
  const p = planRead(previous, s, backlog);
  if (p.range === null)
    return { moved: false, lines: [], positions: [], cursor: idleCursor(p, s, previous), skipped: p.lost };
  const { start, end } = p.range;
  const bottom = read.top + read.rows.length - 1;
  if (neededFrom(p)! < read.top || end > bottom) return { moved: true, state: s };
  const row = (r: number): string => read.rows[r - read.top]!.trimEnd();
  const cursor = cursorAt(s, end + 1, row(end));
  if (p.check !== null && row(start - 1) !== p.check)
    return { moved: false, lines: [], positions: [], cursor, skipped: true };
  // A line is the rows up to one that does not wrap; the last may be cut at `end` (still written).
  let lines: string[] = [];
  let positions: number[] = [];
  let text = '';
  for (let r = start; r <= end; r++) {
    if (text === '') positions.push(r);
    text += read.rows[r - read.top]!;
    if (!read.wrapped[r - read.top] || r === end) {
      lines.push(text.trimEnd());
      text = '';
    }
  }
  // A first read keeps the last lines that are not blank screen rows; a dead pane's notice sits on
  // the bottom row, below blank rows that were never output.
  if (p.first || s.dead) {
    const kept = tidyRows(lines, p.first ? backlog : Number.MAX_SAFE_INTEGER);
    positions = kept.map((i) => positions[i]!);
    lines = kept.map((i) => lines[i]!);
  }
  return { moved: false, lines, positions, cursor, skipped: p.lost };
}

/** Which lines `tidyCapture` keeps (trailing blank rows dropped, a dead pane's notice kept after
 * them, the last `keep`), by index, so each keeps its row. */
function tidyRows(lines: readonly string[], keep: number): number[] {
  let last = lines.length - 1;
  while (last >= 0 && lines[last] === '') last--;
  const notice = last >= 0 && /^Pane is dead/.test(lines[last]!) ? last-- : -1;
  while (last >= 0 && lines[last] === '') last--;
  const idx = Array.from({ length: last + 1 }, (_, i) => i);
  if (notice >= 0) idx.push(notice);
  return idx.slice(Math.max(0, idx.length - keep));
}

/** A cursor on pane state `s` at `row`. */
function cursorAt(s: PaneState, row: number, lastRow: PaneCursor['lastRow'] = null): PaneCursor {
  return { kind: 'pane', pane: s.pane, row, historySize: s.historySize, historyLimit: s.historyLimit, lastRow };
}

/** The cursor when a pane printed faster than reads could place: past what it holds now. */
export function skipCursor(s: PaneState): PaneCursor {
  return cursorAt(s, lastDone(s) + 1);
}

/** The cursor after a read that found nothing new. */
export function idleCursor(p: ReadPlan, s: PaneState, previous: PaneCursor | null): PaneCursor {
  const same = previous !== null && previous.pane === s.pane && !p.lost;
  return cursorAt(s, p.row, same ? previous.lastRow : null);
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
    // Where the output ends now: the same cursor a read that could not keep up moves to.
    if (s) out.set(name, skipCursor(s));
  }
  return out;
}
