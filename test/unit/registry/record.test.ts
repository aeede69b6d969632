// Events on a record: repeats folded, the last 50 kept.
import { describe, expect, it } from 'vitest';
import { withEvent, MAX_EVENTS } from '../../../src/registry/record.js';

describe('events', () => {
  it('fold repeats into a count and keep the last 50', () => {
    let ev = withEvent([], { time: 't', type: 'Warning', reason: 'BackOff', message: 'm' });
    ev = withEvent(ev, { time: 't2', type: 'Warning', reason: 'BackOff', message: 'm' });
    expect(ev).toHaveLength(1);
    expect(ev[0]!.count).toBe(2);
    for (let i = 0; i < 80; i++) ev = withEvent(ev, { time: 't', type: 'Normal', reason: 'X', message: String(i) });
    expect(ev).toHaveLength(MAX_EVENTS);
    expect(ev.at(-1)!.message).toBe('79');
  });
});
