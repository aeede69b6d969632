// What restart, suspend and resume requests do to a record (pure), one row per request.
import { describe, expect, it } from 'vitest';
import { applyRequest } from '../../../../controllers/agent/apply-request.js';
import { emptyRecord } from '../../../../src/registry/record.js';
import type { AgentRequest } from '../../../../src/registry/requests.js';

const AT = Date.UTC(2026, 11, 6, 12, 0, 0);
const req = (type: AgentRequest['type'], extra: Partial<AgentRequest> = {}): AgentRequest => ({
  type,
  names: ['a'],
  stop: false,
  at: AT,
  from: 'pid 42 (ops)',
  ...extra,
});
const suspended = { ...emptyRecord('a', 'tmux', 'o', 0), suspended: true, suspendStop: true };

describe('applyRequest', () => {
  it.each([
    {
      case: 'restart marks when it was asked for',
      rec: emptyRecord('a', 'tmux', 'o', 0),
      r: req('restart'),
      want: { restartRequestedAt: AT },
      event: ['RestartRequested', 'restart requested by pid 42 (ops)'],
    },
    {
      case: 'suspend --stop',
      rec: emptyRecord('a', 'tmux', 'o', 0),
      r: req('suspend', { stop: true }),
      want: { suspended: true, suspendStop: true },
      event: ['Suspended', 'reconciling suspended (and stopped) by pid 42 (ops)'],
    },
    {
      case: 'resume clears suspend and its stop',
      rec: suspended,
      r: req('resume', { from: '' }),
      want: { suspended: false, suspendStop: false },
      event: ['Resumed', 'reconciling resumed'],
    },
  ])('$case', ({ rec, r, want, event }) => {
    const out = applyRequest(rec, r);
    expect(out).toMatchObject(want);
    expect(out.events.at(-1)).toMatchObject({
      time: new Date(AT).toISOString(),
      reason: event[0],
      message: event[1],
    });
    expect(rec.events).toHaveLength(0);
  });
});
