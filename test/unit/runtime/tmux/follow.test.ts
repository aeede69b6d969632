// Following a pane (pure): which rows are new, the commands that read them, and what their output means.
import { describe, expect, it } from 'vitest';
import type { PaneCursor } from '../../../../src/runtime/log-cursor.js';
import {
  finishRead,
  idleCursor,
  parsePaneState,
  parseRead,
  planRead,
  READ_MARGIN,
  readAgain,
  readCommands,
  readStart,
  skipCursor,
  wrappedRows,
  type PaneState,
  type ReadResult,
} from '../../../../src/runtime/tmux/follow.js';
import { CAPTURE_MARK } from '../../../../src/runtime/tmux/commands.js';

const state = (s: Partial<PaneState> = {}): PaneState => ({
  pane: '%1/9',
  historySize: 0,
  historyLimit: 10000,
  cursorY: 0,
  dead: false,
  ...s,
});
const cursor = (c: Partial<PaneCursor> = {}): PaneCursor => ({
  kind: 'pane',
  pane: '%1/9',
  row: 0,
  historySize: 0,
  lastRow: null,
  ...c,
});
const SPLIT = `${CAPTURE_MARK}follow\n`;

describe('parsePaneState', () => {
  it.each([
    ['%3 4242 120 10000 49 0', { pane: '%3/4242', historySize: 120, historyLimit: 10000, cursorY: 49, dead: false }],
    ['%0 77 1 10000 49 1\n', { pane: '%0/77', historySize: 1, historyLimit: 10000, cursorY: 49, dead: true }],
    ['no server', null],
  ])('%j', (line, want) => expect(parsePaneState(line)).toEqual(want));
});

describe('planRead', () => {
  it.each<
    [
      string,
      PaneCursor | null,
      PaneState,
      number,
      {
        range: { start: number; end: number } | null;
        check: string | null;
        first: boolean;
        lost: boolean;
        row: number;
      },
    ]
  >([
    [
      'first read: the last lines above the cursor (and slack for blank rows)',
      null,
      state({ historySize: 500, cursorY: 20 }),
      2,
      { range: { start: 318, end: 519 }, check: null, first: true, lost: false, row: 520 },
    ],
    [
      'first read with -n 0: nothing, cursor at the end',
      null,
      state({ historySize: 5, cursorY: 3 }),
      0,
      { range: null, check: null, first: true, lost: false, row: 8 },
    ],
    ['first read of an empty pane', null, state(), 10, { range: null, check: null, first: true, lost: false, row: 0 }],
    [
      'nothing new',
      cursor({ row: 7, historySize: 0, lastRow: 'x' }),
      state({ cursorY: 7 }),
      5,
      { range: null, check: null, first: false, lost: false, row: 7 },
    ],
    [
      'two new rows on the screen',
      cursor({ row: 7, lastRow: 'x' }),
      state({ cursorY: 9 }),
      5,
      { range: { start: 7, end: 8 }, check: 'x', first: false, lost: false, row: 7 },
    ],
    [
      'new rows that scrolled into the history',
      cursor({ row: 49, historySize: 0, lastRow: 'x' }),
      state({ historySize: 3, cursorY: 49 }),
      5,
      { range: { start: 49, end: 51 }, check: 'x', first: false, lost: false, row: 49 },
    ],
    [
      'history trimmed by a tenth of its limit, then grown',
      cursor({ row: 10049, historySize: 10000, lastRow: 'x' }),
      state({ historySize: 9005, cursorY: 49 }),
      5,
      { range: { start: 9049, end: 9053 }, check: 'x', first: false, lost: false, row: 9049 },
    ],
    [
      'the cursor moved up (a full-screen program): nothing is read twice',
      cursor({ row: 30, lastRow: 'x' }),
      state({ cursorY: 4 }),
      5,
      { range: null, check: null, first: false, lost: false, row: 30 },
    ],
    [
      'another pane under the name: all of it is new',
      cursor({ row: 30, pane: '%1/9' }),
      state({ pane: '%2/10', cursorY: 3 }),
      5,
      { range: { start: 0, end: 2 }, check: null, first: false, lost: false, row: 0 },
    ],
    [
      'a dead pane: its notice on the cursor row is read too',
      cursor({ row: 2, lastRow: 'x' }),
      state({ historySize: 1, cursorY: 49, dead: true }),
      5,
      { range: { start: 2, end: 50 }, check: 'x', first: false, lost: false, row: 2 },
    ],
    [
      'trimmed past the cursor: what is left is read, the loss is said',
      cursor({ row: 500, historySize: 10000, lastRow: 'x' }),
      state({ historySize: 9000, cursorY: 10, historyLimit: 10000 }),
      5,
      { range: { start: 0, end: 9009 }, check: null, first: false, lost: true, row: 0 },
    ],
  ])('%s', (_, c, s, backlog, want) => expect(planRead(c, s, backlog)).toEqual(want));
});

describe('readCommands', () => {
  it('reads the state, then the rows from `from` to the bottom twice: as rows (-N) and joined (-J)', () => {
    const cmds = readCommands('=a:', 73, 100);
    expect(cmds.map((c) => c.slice(0, 2))).toEqual([
      ['display-message', '-p'],
      ['display-message', '-p'],
      ['capture-pane', '-p'],
      ['display-message', '-p'],
      ['capture-pane', '-p'],
    ]);
    expect(cmds.filter((c) => c[0] === 'capture-pane').map((c) => c.slice(1))).toEqual([
      ['-p', '-N', '-t', '=a:', '-S', '-27', '-E', '-'],
      ['-p', '-J', '-t', '=a:', '-S', '-27', '-E', '-'],
    ]);
  });
});

describe('wrappedRows', () => {
  it.each<[string, string[], string, boolean[] | null]>([
    ['no row wraps', ['a', 'b  ', ''], 'a\nb  \n\n', [false, false, false]],
    [
      'a long line over three rows',
      ['x', '0123', '4567', '89', 'y'],
      'x\n0123456789\ny\n',
      [false, true, true, false, false],
    ],
    ['the last row wraps (still written)', ['x', '0123'], 'x\n0123', [false, true]],
    ['captures that do not agree', ['x', 'y'], 'x\nz\n', null],
  ])('%s', (_, rows, joined, want) => expect(wrappedRows(rows, joined)).toEqual(want));
});

/** A pane as tmux holds it: `lines` printed (one row each but where `wraps` says a row goes on),
 * the cursor on the row below them, `dropped` rows trimmed off the history's top. */
interface FakePane {
  rows: string[];
  sy: number;
  dropped?: number;
  wraps?: ReadonlySet<number>;
  pane?: string;
  limit?: number;
  dead?: boolean;
}
const counterRows = (from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, i) => `n ${from + i}`);
/** The screen's height `sy`; history is what does not fit above the cursor's row. */
function paneOf(p: FakePane): { hist: number; cursorY: number; all: string[] } {
  const cursorRow = p.dead ? p.rows.length - 1 : p.rows.length;
  const hist = Math.max(0, cursorRow + 1 - p.sy);
  const all = [...p.rows];
  while (all.length < hist + p.sy) all.push('');
  return { hist, cursorY: cursorRow - hist, all };
}
/** What tmux prints for readCommands(target, from, historySize) on this pane. */
function tmuxRead(p: FakePane, from: number, historySize: number): string {
  const { hist, cursorY, all } = paneOf(p);
  const n = from - historySize;
  const top = n < 0 && -n > hist ? 0 : hist + n;
  const rows = all.slice(top);
  const joined = rows.map((r, i) => r + (p.wraps?.has(top + i) ? '' : '\n')).join('');
  const [id, pid] = (p.pane ?? '%1/9').split('/');
  const head = `${id} ${pid} ${hist} ${p.limit ?? 10000} ${cursorY} ${p.dead ? 1 : 0}`;
  return `${head}\n${SPLIT}${rows.map((r) => `${r}\n`).join('')}${SPLIT}${joined}`;
}
/** The runtime's loop over one unchanging pane: how many reads it took, and what it gave. */
function follow(p: FakePane, prev: PaneCursor | null, backlog: number): { reads: number; r: ReadResult } {
  let at = readStart(prev, backlog);
  for (let reads = 1; reads <= 5; reads++) {
    const read = parseRead(tmuxRead(p, at.from, at.historySize), at.from, at.historySize)!;
    const r = finishRead(prev, read, backlog);
    if (!r.moved) return { reads, r };
    at = readAgain(prev, r.state, backlog, READ_MARGIN * 4 ** reads);
  }
  throw new Error('not placed in 5 reads');
}
const linesOf = (r: ReadResult): string[] => (r.moved ? [] : r.lines);
const cursorOf = (r: ReadResult): PaneCursor => {
  if (r.moved) throw new Error('moved');
  return r.cursor;
};

describe('parseRead', () => {
  it('places the first row as tmux does: relative to the history the read found', () => {
    const p: FakePane = { rows: counterRows(0, 30), sy: 10 };
    // Read from row 15 as placed when the history held 18 rows; it holds 21 now.
    const read = parseRead(tmuxRead(p, 15, 18), 15, 18)!;
    expect(read.state).toMatchObject({ historySize: 21, cursorY: 9 });
    expect(read.top).toBe(18);
    expect(read.rows[0]).toBe('n 18');
    expect(read.rows).toHaveLength(13); // rows 18 to 30, the cursor's
  });

  it('a start above the history is its top', () => {
    expect(parseRead(tmuxRead({ rows: counterRows(0, 30), sy: 10 }, -500, 0), -500, 0)!.top).toBe(0);
  });

  it('is null when the output is not a read (no server)', () => {
    expect(parseRead('', 0, 0)).toBeNull();
  });
});

describe('finishRead (one pane, followed read after read)', () => {
  it('a first read: the last lines, not the blank screen rows; each row where it is', () => {
    const { reads, r } = follow({ rows: ['a', 'b', 'c'], sy: 10 }, null, 2);
    expect(reads).toBe(1);
    expect(r).toEqual({
      moved: false,
      lines: ['b', 'c'],
      positions: [1, 2],
      cursor: { kind: 'pane', pane: '%1/9', row: 3, historySize: 0, historyLimit: 10000, lastRow: 'c' },
      skipped: false,
    });
  });

  it('every line once, whether the pane scrolled a little or far between reads', () => {
    let printed = 5;
    let prev: PaneCursor | null = null;
    const seen: string[] = [];
    const readsAt: number[] = [];
    for (const next of [5, 6, 9, 30, 31, 31, 60, 300, 301, 2000]) {
      printed = next;
      const { reads, r } = follow({ rows: counterRows(0, printed), sy: 10 }, prev, 2);
      readsAt.push(reads);
      seen.push(...linesOf(r));
      prev = cursorOf(r);
    }
    expect(seen).toEqual(counterRows(3, 2000));
    // One read each, but a second where more scrolled than the margin (240 rows, then 1699).
    expect(readsAt).toEqual([1, 1, 1, 1, 1, 1, 1, 2, 1, 2]);
  });

  it('a line wrapped over rows is one line; a line still being written is read as far as it goes', () => {
    const p: FakePane = { rows: ['x', '0123', '4567', '89', 'y'], sy: 10, wraps: new Set([1, 2]) };
    const { r } = follow(p, { kind: 'pane', pane: '%1/9', row: 1, historySize: 0, lastRow: 'x' }, 0);
    expect(r).toMatchObject({ lines: ['0123456789', 'y'], positions: [1, 4] });
    // The cursor on the row '0123' wraps onto.
    const cut = follow({ ...p, rows: p.rows.slice(0, 2) }, null, 5).r;
    expect(cut).toMatchObject({ lines: ['x', '0123'], positions: [0, 1], cursor: { row: 2, lastRow: '0123' } });
  });

  it('history trimmed by a tenth of its limit since the last read: the count follows it', () => {
    const prev: PaneCursor = {
      kind: 'pane',
      pane: '%1/9',
      row: 109,
      historySize: 100,
      historyLimit: 100,
      lastRow: 'n 108',
    };
    // 5 more lines: tmux dropped the 10 oldest rows first.
    const { r } = follow({ rows: counterRows(10, 114), sy: 10, limit: 100 }, prev, 0);
    expect(r).toMatchObject({ lines: counterRows(109, 114), skipped: false, cursor: { row: 104, historySize: 95 } });
  });

  it('the row before the new ones is not what was read last (history cleared): skipped, never shown twice', () => {
    const prev: PaneCursor = { kind: 'pane', pane: '%1/9', row: 5, historySize: 0, lastRow: 'n 4' };
    const { r } = follow({ rows: ['other', 'a', 'b', 'c', 'd', 'e', 'f'], sy: 10 }, prev, 0);
    expect(r).toMatchObject({ lines: [], skipped: true, cursor: { row: 7, lastRow: 'f' } });
  });

  it('another pane under the name: read from its start', () => {
    const prev: PaneCursor = { kind: 'pane', pane: '%1/9', row: 300, historySize: 291, lastRow: 'n 299' };
    const { r } = follow({ rows: counterRows(1, 4), sy: 10, pane: '%0/77' }, prev, 0);
    expect(r).toMatchObject({ lines: ['n 1', 'n 2', 'n 3'], positions: [0, 1, 2], cursor: { pane: '%0/77', row: 3 } });
  });

  it('a dead pane: its notice follows the last output, the blank rows between closed up', () => {
    const prev: PaneCursor = { kind: 'pane', pane: '%1/9', row: 1, historySize: 0, lastRow: 'boom' };
    const p: FakePane = { rows: ['boom', '', '', 'Pane is dead (status 1, now)'], sy: 4, dead: true };
    const { r } = follow(p, prev, 0);
    expect(r).toMatchObject({ lines: ['Pane is dead (status 1, now)'], positions: [3] });
  });

  it('nothing new: the cursor stays, with what was read last', () => {
    const prev: PaneCursor = { kind: 'pane', pane: '%1/9', row: 3, historySize: 0, lastRow: 'n 2' };
    const { r } = follow({ rows: counterRows(0, 3), sy: 10 }, prev, 0);
    expect(r).toEqual({
      moved: false,
      lines: [],
      positions: [],
      cursor: { ...prev, historyLimit: 10000 },
      skipped: false,
    });
  });
});

describe('skipCursor', () => {
  it('goes past every finished row', () => {
    expect(skipCursor(state({ historySize: 40, cursorY: 9 }))).toMatchObject({
      row: 49,
      historySize: 40,
      lastRow: null,
    });
  });
});

describe('idleCursor', () => {
  it('keeps what was read last on the same pane, forgets it on another', () => {
    const prev = cursor({ row: 7, lastRow: 'x' });
    expect(idleCursor(planRead(prev, state({ cursorY: 7 }), 5), state({ cursorY: 7 }), prev).lastRow).toBe('x');
    expect(idleCursor(planRead(prev, state({ pane: '%9/1' }), 5), state({ pane: '%9/1' }), prev)).toEqual({
      kind: 'pane',
      pane: '%9/1',
      row: 0,
      historySize: 0,
      historyLimit: 10000,
      lastRow: null,
    });
  });
});

describe('parseMarks', () => {
  it('the end of each named pane, the first pane of a session only', async () => {
    const { parseMarks } = await import('../../../../src/runtime/tmux/follow.js');
    const out = 'a\t%0 11 5 10000 3 0\nb\t%1 12 0 10000 49 1\nother\t%2 13 0 10000 1 0\na\t%3 14 0 10000 1 0\n';
    expect(parseMarks(out, new Set(['a', 'b']))).toEqual(
      new Map([
        ['a', { kind: 'pane', pane: '%0/11', row: 8, historySize: 5, historyLimit: 10000, lastRow: null }],
        ['b', { kind: 'pane', pane: '%1/12', row: 50, historySize: 0, historyLimit: 10000, lastRow: null }],
      ]),
    );
  });
});
