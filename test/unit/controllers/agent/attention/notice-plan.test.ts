// Attention notices as a pure function of (activity, what was announced, time): once per wait, debounced.
import { describe, expect, it } from 'vitest';
import {
  noticeMessage,
  noticePayload,
  planNotices,
  type ActivityView,
} from '../../../../../controllers/agent/attention/notice-plan.js';
import { EMPTY_NOTICES, type NoticeMemory } from '../../../../../src/registry/attention-record.js';

const view = (activity: string, since: number | null, waitingFor: string | null = null): ActivityView => ({
  activity,
  waitingFor,
  message: waitingFor ? 'Claude needs your permission' : null,
  since,
});
const D = 10_000;

/** Runs a timeline of (time, activity) through the planner, carrying memory: the hooks fired. */
function timeline(steps: [number, ActivityView][], memory: NoticeMemory = EMPTY_NOTICES): string[] {
  let m = memory;
  const fired: string[] = [];
  for (const [now, v] of steps) {
    const p = planNotices(v, m, now, D);
    m = p.memory;
    for (const n of p.notices) fired.push(`${now}:${n.hook}`);
  }
  return fired;
}

describe('planNotices', () => {
  const cases: [string, [number, ActivityView][], string[]][] = [
    [
      'a fresh start (Starting, Idle) is not news',
      [
        [0, view('Starting', 0)],
        [1000, view('Idle', 1000)],
      ],
      [],
    ],
    [
      'a wait fires once, however often it is looked at',
      [
        [0, view('Working', 0)],
        [100, view('WaitingForInput', 100, 'permission')],
        [200, view('WaitingForInput', 100, 'permission')],
        [60_000, view('WaitingForInput', 100, 'permission')],
      ],
      ['100:onWaiting'],
    ],
    [
      'a turn that ends fires onIdle once',
      [
        [0, view('Idle', 0)],
        [10, view('Working', 10)],
        [5000, view('Idle', 5000)],
        [5100, view('Idle', 5000)],
      ],
      ['5000:onIdle'],
    ],
    [
      'wait, granted, turn ends: onWaiting then onIdle',
      [
        [0, view('Working', 0)],
        [100, view('WaitingForInput', 100, 'permission')],
        [2000, view('Working', 2000)],
        [3000, view('Idle', 3000)],
      ],
      ['100:onWaiting', '3000:onIdle'],
    ],
    [
      'a second wait inside the debounce is held back, then fired when due if it still holds',
      [
        [0, view('WaitingForInput', 0, 'permission')],
        [1000, view('Working', 1000)],
        [2000, view('WaitingForInput', 2000, 'permission')],
        [9999, view('WaitingForInput', 2000, 'permission')],
        [10_000, view('WaitingForInput', 2000, 'permission')],
      ],
      ['0:onWaiting', '10000:onWaiting'],
    ],
    [
      'a held-back wait that ended before it was due is never announced',
      [
        [0, view('WaitingForInput', 0, 'permission')],
        [1000, view('Working', 1000)],
        [2000, view('WaitingForInput', 2000, 'permission')],
        [3000, view('Working', 3000)],
        [20_000, view('Working', 3000)],
      ],
      ['0:onWaiting'],
    ],
    [
      'a question after the debounce is a new wait',
      [
        [0, view('WaitingForInput', 0, 'permission')],
        [1000, view('Working', 1000)],
        [15_000, view('WaitingForInput', 15_000, 'question')],
      ],
      ['0:onWaiting', '15000:onWaiting'],
    ],
    ['no since (activity unknown): nothing', [[0, view('WaitingForInput', null, 'permission')]], []],
    [
      'Exited and Unknown: nothing',
      [
        [0, view('Working', 0)],
        [1, view('Exited', 1)],
        [2, view('Unknown', 2)],
      ],
      [],
    ],
  ];
  it.each(cases)('%s', (_, steps, fired) => expect(timeline(steps)).toEqual(fired));

  it('says when a held-back notice is due', () => {
    const m = { ...EMPTY_NOTICES, waitNotified: 0, lastWaitAt: 0 };
    expect(planNotices(view('WaitingForInput', 2000, 'permission'), m, 4000, D).recheckAfterMs).toBe(6000);
    const idle = { ...EMPTY_NOTICES, idleNotified: 0, lastIdleAt: 0, turnSeen: true };
    expect(planNotices(view('Idle', 3000), idle, 3000, D).recheckAfterMs).toBe(7000);
  });

  it('remembers across a controller restart: a wait announced before is not announced again', () => {
    const before = planNotices(view('WaitingForInput', 100, 'permission'), EMPTY_NOTICES, 100, D);
    const stored = JSON.parse(JSON.stringify(before.memory)) as NoticeMemory;
    expect(planNotices(view('WaitingForInput', 100, 'permission'), stored, 900_000, D).notices).toEqual([]);
  });

  it('builds the message and the URL payload, secrets scrubbed', () => {
    const n = planNotices(
      { activity: 'WaitingForInput', waitingFor: 'permission', message: 'run curl -H sk-ant-secret1234?', since: 0 },
      EMPTY_NOTICES,
      0,
    ).notices[0]!;
    expect(noticeMessage(n)).toBe('waiting for permission: run curl -H sk-ant-secret1234?');
    expect(noticePayload('a', 'h1', n, (s) => s.replace('sk-ant-secret1234', '<redacted>'))).toEqual({
      agent: 'a',
      activity: 'WaitingForInput',
      waitingFor: 'permission',
      message: 'run curl -H <redacted>?',
      since: '1970-01-01T00:00:00.000Z',
      host: 'h1',
    });
    expect(noticeMessage({ hook: 'onIdle', reason: 'Idle', view: view('Idle', 5) })).toMatch(/idle/);
  });
});
