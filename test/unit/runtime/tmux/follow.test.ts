// Following a pane (pure): which rows are new, the commands that read them, and what their output means.
import { describe, expect, it } from 'vitest';
import type { PaneCursor } from '../../../../src/runtime/log-cursor.js';
import {
  finishRead,
  idleCursor,
  parsePaneState,
  parseRead,
  planRead,
  readCommands,
  type PaneState,
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
  it('reads the checked row, the range joined, and its last row, relative to the screen top', () => {
    const s = state({ historySize: 100, cursorY: 10 });
    const p = planRead(cursor({ row: 105, historySize: 100, lastRow: 'x' }), s, 5);
    const cmds = readCommands('=a:', p, s);
    expect(cmds.filter((c) => c[0] === 'capture-pane').map((c) => c.slice(1))).toEqual([
      ['-p', '-t', '=a:', '-S', '4', '-E', '4'],
      ['-p', '-J', '-t', '=a:', '-S', '5', '-E', '9'],
      ['-p', '-t', '=a:', '-S', '9', '-E', '9'],
    ]);
  });
});

describe('finishRead', () => {
  const s = state({ historySize: 100, cursorY: 10 });
  const p = planRead(cursor({ row: 105, historySize: 100, lastRow: 'four' }), s, 5);
  const out = (first: string, check: string, body: string, last: string): string =>
    `${first}\n${SPLIT}${check}\n${SPLIT}${body}${SPLIT}${last}\n`;

  it('gives the new lines and a cursor after them', () => {
    const r = finishRead(p, s, parseRead(out('%1 9 100 10000 10 0', 'four', 'five  \nsix\n', 'six'), true), 5);
    expect(r).toEqual({
      moved: false,
      lines: ['five', 'six'],
      positions: [108, 109],
      cursor: { kind: 'pane', pane: '%1/9', row: 110, historySize: 100, historyLimit: 10000, lastRow: 'six' },
      skipped: false,
    });
  });

  it('is read again when the pane scrolled between planning and reading', () => {
    expect(finishRead(p, s, parseRead(out('%1 9 103 10000 10 0', 'x', 'y\n', 'y'), true), 5)).toEqual({ moved: true });
  });

  it('skips (never repeats) when the row before is not what was read last', () => {
    const r = finishRead(p, s, parseRead(out('%1 9 100 10000 10 0', 'something else', 'five\n', 'five'), true), 5);
    expect(r).toMatchObject({ moved: false, lines: [], skipped: true, cursor: { row: 110 } });
  });

  it('a first read keeps the last lines, without blank screen rows', () => {
    const first = planRead(null, state({ cursorY: 6 }), 2);
    const r = finishRead(
      first,
      state({ cursorY: 6 }),
      parseRead(`%1 9 0 10000 6 0\n${SPLIT}a\nb\nc\n\n\n\n${SPLIT}\n`, false),
      2,
    );
    expect(r).toMatchObject({ lines: ['b', 'c'], cursor: { row: 6, lastRow: '' } });
  });

  it('a dead pane: its notice follows the last output, the blank rows between closed up', () => {
    const dead = state({ historySize: 1, cursorY: 3, dead: true });
    const pd = planRead(cursor({ row: 1, lastRow: 'boom' }), dead, 5);
    const r = finishRead(
      pd,
      dead,
      parseRead(
        out('%1 9 1 10000 3 1', 'boom', '\n\nPane is dead (status 1, now)\n', 'Pane is dead (status 1, now)'),
        true,
      ),
      5,
    );
    expect(r).toMatchObject({ lines: ['Pane is dead (status 1, now)'] });
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
