// Following a growing output file (pure): where to read from, and the complete lines of what was read.
import { describe, expect, it } from 'vitest';
import { BACKLOG_BYTES, MAX_READ_BYTES, planFileRead, splitRead } from '../../../src/runtime/file-follow.js';

const at = (offset: number, path = '/o/a.out') => ({ kind: 'file' as const, path, offset });

describe('planFileRead', () => {
  it.each([
    ['first read of a small file', null, 100, { from: 0, first: true, skipped: false }],
    ['first read of a big file: its end', null, BACKLOG_BYTES + 10, { from: 10, first: true, skipped: false }],
    ['from the cursor', at(40), 100, { from: 40, first: false, skipped: false }],
    ['nothing new', at(100), 100, { from: 100, first: false, skipped: false }],
    ['truncated by a new job: from the start', at(400), 100, { from: 0, first: false, skipped: false }],
    ['another file: from the start', at(40, '/o/b.out'), 100, { from: 0, first: false, skipped: false }],
    [
      'more than one read holds: the rest is skipped',
      at(0),
      MAX_READ_BYTES + 5,
      { from: 5, first: false, skipped: true },
    ],
  ])('%s', (_, c, size, want) => expect(planFileRead(c, '/o/a.out', size)).toEqual(want));
});

describe('splitRead', () => {
  it.each([
    ['complete lines', 'a\nb\n', { from: 10, first: false, skipped: false }, 50, { lines: ['a', 'b'], offset: 14 }],
    [
      'a line being written waits',
      'a\nb',
      { from: 10, first: false, skipped: false },
      50,
      { lines: ['a'], offset: 12 },
    ],
    ['nothing complete yet', 'partial', { from: 10, first: false, skipped: false }, 50, { lines: [], offset: 10 }],
    ['an empty line is a line', '\n', { from: 0, first: false, skipped: false }, 50, { lines: [''], offset: 1 }],
    [
      'first read: the last lines, from inside a line',
      'tail of a line\nx\ny\nz\n',
      { from: 5, first: true, skipped: false },
      2,
      { lines: ['y', 'z'], offset: 26 },
    ],
    [
      'first read from the start keeps the first line',
      'x\ny\n',
      { from: 0, first: true, skipped: false },
      5,
      { lines: ['x', 'y'], offset: 4 },
    ],
    [
      'offsets count bytes, not characters',
      'é日\n',
      { from: 0, first: false, skipped: false },
      5,
      { lines: ['é日'], offset: 6 },
    ],
  ])('%s', (_, text, plan, backlog, want) => expect(splitRead(text, plan, backlog)).toMatchObject(want));
});

describe('splitRead positions and parseSizes', () => {
  it('gives each line its byte offset', () => {
    expect(splitRead('ab\né\nc\n', { from: 100, first: false, skipped: false }, 9).positions).toEqual([100, 103, 106]);
  });

  it('reads stat sizes of the files that exist', async () => {
    const { parseSizes } = await import('../../../src/runtime/file-follow.js');
    expect(parseSizes("12 /o/a.out\n0 /o/with space.out\nstat: cannot stat '/o/x': No such file\n")).toEqual(
      new Map([
        ['/o/a.out', 12],
        ['/o/with space.out', 0],
      ]),
    );
  });
});
