// One short line per log record (pure): what shows, what is left out, and colour only when asked.
import { describe, expect, it } from 'vitest';
import { formatRecord } from '../../../src/log/line-format.js';

const at = new Date(2026, 0, 2, 3, 4, 5).toISOString();

describe('formatRecord', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'an action',
      {
        level: 30,
        time: at,
        agent: 'web',
        action: 'create',
        reason: 'NotRunning',
        handle: 'h1',
        durationMs: 30,
        msg: 'started agent',
      },
      '03:04:05 web: started agent (NotRunning)',
    ],
    [
      'a warning with its reason in the message',
      { level: 40, time: at, agent: 'a', reason: 'BackOff', msg: 'BackOff: restarting in 10s' },
      '03:04:05 WARN a: BackOff: restarting in 10s',
    ],
    [
      'an error field',
      { level: 50, time: at, msg: 'cannot load specs', error: 'EACCES' },
      '03:04:05 ERROR cannot load specs: EACCES',
    ],
    [
      'other fields as key=value',
      { level: 30, time: at, msg: 'controller starting', specs: '/s', agents: 3, foreign: ['x', 'y'], state: '/a b' },
      '03:04:05 controller starting specs=/s agents=3 foreign=x,y state="/a b"',
    ],
    ['debug', { level: 20, time: at, msg: 'resync', queued: 0 }, '03:04:05 DEBUG resync queued=0'],
  ])('%s', (_, rec, want) => expect(formatRecord(rec, false)).toBe(want));

  it('is one line however long the values', () => {
    const line = formatRecord({ level: 30, time: at, msg: 'x', big: 'y'.repeat(500), obj: { a: [1, 2] } }, false);
    expect(line).not.toContain('\n');
    expect(line.length).toBeLessThan(200);
  });

  it('colours only when asked', () => {
    expect(formatRecord({ level: 40, time: at, msg: 'm' }, true)).toContain('\u001b[33mWARN \u001b[39m');
    expect(formatRecord({ level: 40, time: at, msg: 'm' }, false)).not.toContain('\u001b[');
  });
});
