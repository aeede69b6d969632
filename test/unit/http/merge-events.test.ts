// Merging repeated events into `Reason ×N over T`, as a table of event lists.
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../src/registry/record.js';
import { eventKey, mergeEvents, mergedTitle, shortDuration } from '../../../src/http/merge-events.js';

const T0 = Date.parse('2026-11-29T10:00:00Z');
const ev = (
  sec: number,
  reason: string,
  message: string,
  count = 1,
  type: AgentEvent['type'] = 'Warning',
): AgentEvent => ({
  time: new Date(T0 + sec * 1000).toISOString(),
  type,
  reason,
  message,
  count,
});

describe('mergeEvents', () => {
  it.each<[string, AgentEvent[], string[]]>([
    ['nothing', [], []],
    ['one event', [ev(0, 'Started', 'started a.1', 1, 'Normal')], ['Started']],
    ['a folded run keeps its count', [ev(0, 'BackOff', 'back-off 10s', 5)], ['BackOff ×5']],
    [
      'interleaved repeats merge across the list',
      [
        ev(0, 'BackOff', 'back-off 10s'),
        ev(60, 'Started', 'started a.2', 1, 'Normal'),
        ev(360, 'BackOff', 'back-off 5m0s', 11),
      ],
      ['Started', 'BackOff ×12 over 6m'],
    ],
    [
      'different reasons stay apart',
      [ev(0, 'Exited', 'exited with code 1'), ev(5, 'BackOff', 'back-off 10s')],
      ['Exited', 'BackOff'],
    ],
    [
      'different words stay apart',
      [ev(0, 'Failed', 'cannot start: no such file'), ev(5, 'Failed', 'cannot start: permission denied')],
      ['Failed', 'Failed'],
    ],
    [
      'Normal and Warning stay apart',
      [ev(0, 'Probe', 'ok 1', 1, 'Normal'), ev(5, 'Probe', 'ok 2', 1, 'Warning')],
      ['Probe', 'Probe'],
    ],
    [
      'a group sits at its newest occurrence',
      [ev(0, 'A', 'x'), ev(10, 'B', 'y'), ev(20, 'A', 'x')],
      ['B', 'A ×2 over 20s'],
    ],
    [
      'hours',
      [ev(0, 'Unhealthy', 'check failed 3 times'), ev(3 * 3600, 'Unhealthy', 'check failed 3 times', 40)],
      ['Unhealthy ×41 over 3h'],
    ],
  ])('%s', (_what, events, titles) => {
    expect(mergeEvents(events).map(mergedTitle)).toEqual(titles);
  });

  it('keeps the newest message and both ends of the span', () => {
    const [m] = mergeEvents([ev(0, 'BackOff', 'back-off 10s'), ev(120, 'BackOff', 'back-off 20s')]);
    expect(m).toMatchObject({
      message: 'back-off 20s',
      count: 2,
      firstTime: new Date(T0).toISOString(),
      lastTime: new Date(T0 + 120_000).toISOString(),
    });
  });

  it('treats numbers, durations and counters as the same shape', () => {
    const k = (message: string): string => eventKey({ type: 'Warning', reason: 'R', message });
    expect(k('back-off 10s restarting')).toBe(k('back-off 5m0s restarting'));
    expect(k('started a.1')).toBe(k('started a.12'));
    expect(k('exited with code 1')).not.toBe(k('exited with signal SIGKILL'));
  });
});

describe('shortDuration', () => {
  it.each([
    [0, '0s'],
    [45_000, '45s'],
    [119_000, '119s'],
    [6 * 60_000, '6m'],
    [3 * 3600_000, '3h'],
    [72 * 3600_000, '3d'],
  ])('%i ms → %s', (ms, text) => {
    expect(shortDuration(ms)).toBe(text);
  });
});
