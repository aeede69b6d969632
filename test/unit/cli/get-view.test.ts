// get's views (pure): rows with and without colour, -o name, what counts as a change for -w, and the events between listings.
import { describe, expect, it } from 'vitest';
import type { StatusItem } from '../../../controllers/agent/status-items.js';
import { costLine } from '../../../src/cli/commands/describe.js';
import {
  changeKey,
  costText,
  document,
  nameLine,
  tableRow,
  watchEvents,
  WIDE_HEAD,
} from '../../../src/cli/get-view.js';
import { colourWanted, paint } from '../../../src/cli/tty/colour.js';
import { columnWidths, formatRow } from '../../../src/cli/tty/columns.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const item = (i: Partial<StatusItem> = {}): StatusItem => ({
  name: 'a',
  runtime: 'tmux',
  desiredState: 'Running',
  phase: 'Running',
  ready: true,
  restarts: 0,
  specHash: 'f'.repeat(64),
  source: '/s/a.yaml',
  handle: 'h1',
  conditions: [
    { type: 'Ready', status: 'True', reason: 'Ready', message: '', lastTransitionTime: new Date(T0).toISOString() },
  ],
  message: '',
  upToDate: true,
  lastExit: null,
  startedAt: new Date(T0).toISOString(),
  host: 'here',
  details: {},
  listen: [],
  extensions: {},
  ...i,
});

describe('tableRow', () => {
  it('is plain without colour, and the phase coloured with it', () => {
    expect(tableRow(item(), 'table', T0 + 180_000, paint(false))).toEqual([
      'a',
      'tmux',
      'Running',
      'Running',
      'True',
      '0',
      '3m',
    ]);
    expect(tableRow(item({ phase: 'CrashLoopBackOff', ready: false }), 'table', T0, paint(true))[3]).toBe(
      '\u001b[31mCrashLoopBackOff\u001b[39m',
    );
    expect(tableRow(item({ ready: false }), 'table', T0, paint(true))[3]).toBe('\u001b[33mRunning\u001b[39m');
  });

  it('-o name is agent/NAME', () => expect(nameLine(item({ name: 'web' }))).toBe('agent/web'));
});

describe('colourWanted', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [false, { FORCE_COLOR: '1' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [true, { TERM: 'dumb' }, false],
  ])('tty %s, env %j → %s', (isTTY, env, want) => expect(colourWanted({ isTTY }, env)).toBe(want));
});

describe('columns', () => {
  it('align later rows to the first listing, colour codes not counted', () => {
    const widths = columnWidths([
      ['NAME', 'PHASE', 'AGE'],
      ['a', paint(true).phase('Running', true), '1s'],
    ]);
    expect(widths).toEqual([4, 7, 3]);
    expect(formatRow(['bb', 'Stopped', '5m'], widths)).toBe('bb     Stopped   5m');
  });
});

describe('watchEvents', () => {
  const shown = (items: StatusItem[], format: 'table' | 'json' = 'table') =>
    new Map(items.map((i) => [i.name, { key: changeKey(i, format), item: i }]));

  it('the age alone is no change; a phase, a restart or a new start is', () => {
    const before = shown([item()]);
    expect(watchEvents(before, [item()], 'table')).toEqual([]);
    expect(watchEvents(before, [item({ phase: 'Suspended' })], 'table').map((e) => e.type)).toEqual(['MODIFIED']);
    expect(watchEvents(before, [item({ restarts: 1 })], 'table').map((e) => e.type)).toEqual(['MODIFIED']);
    expect(
      watchEvents(before, [item({ startedAt: new Date(T0 + 1000).toISOString() })], 'table').map((e) => e.type),
    ).toEqual(['MODIFIED']);
  });

  it('reports agents added and deleted', () => {
    const events = watchEvents(shown([item()]), [item({ name: 'b' })], 'table');
    expect(events.map((e) => [e.type, e.item.name])).toEqual([
      ['ADDED', 'b'],
      ['DELETED', 'a'],
    ]);
  });

  it('-o json: a message is a change, a condition re-stamped with the same content is not', () => {
    const before = shown([item()], 'json');
    expect(watchEvents(before, [item({ message: 'restarting in 10s' })], 'json')).toHaveLength(1);
    const restamped = item({
      conditions: [{ ...item().conditions[0]!, lastTransitionTime: new Date(T0 + 5000).toISOString() }],
    });
    expect(watchEvents(before, [restamped], 'json')).toEqual([]);
  });
});

describe('cost', () => {
  it.each<[number | null, string]>([
    [null, '-'],
    [0, '$0.0000'],
    [0.0041, '$0.0041'],
    [0.99994, '$0.9999'],
    [1, '$1.00'],
    [23.456, '$23.46'],
    [-1, '-'],
    [Number.NaN, '-'],
  ])('%s → %s', (usd, want) => expect(costText(usd)).toBe(want));

  const claude = (costUsd: number | null): NonNullable<StatusItem['claude']> => ({
    model: 'claude-x',
    sessionId: 's1234567890',
    contextPercent: 12,
    lastActivity: null,
    activity: 'Idle',
    waitingFor: null,
    waitingMessage: null,
    activitySince: null,
    costUsd,
    transcriptPath: null,
  });

  it('-o wide has COST after CONTEXT; an agent without claude shows -', () => {
    const at = WIDE_HEAD.indexOf('COST');
    expect(WIDE_HEAD[at - 1]).toBe('CONTEXT');
    expect(tableRow(item({ claude: claude(0.0041) }), 'wide', T0, paint(false))[at]).toBe('$0.0041');
    expect(tableRow(item({ claude: claude(null) }), 'wide', T0, paint(false))[at]).toBe('-');
    expect(tableRow(item(), 'wide', T0, paint(false))[at]).toBe('-');
    expect(tableRow(item(), 'wide', T0, paint(false))).toHaveLength(WIDE_HEAD.length);
  });

  it('-o json carries claude.costUsd as a number', () => {
    const doc = JSON.parse(document([item({ claude: claude(1.5) })], 'json')) as {
      items: { claude: { costUsd: number } }[];
    };
    expect(doc.items[0]!.claude.costUsd).toBe(1.5);
  });

  it('describe says the cost, or that none was heard', () => {
    expect(costLine(claude(0.0041))).toBe("$0.0041 (this session, from Claude Code's status line)");
    expect(costLine(claude(null))).toMatch(/^- \(no status line/);
  });
});
