// The reason vocabulary: one CamelCase word each, no reason in two groups.
import { describe, expect, it } from 'vitest';
import { ConditionReason, EventReason, PlanReason, Reason } from '../../../../controllers/agent/reason.js';

describe('Reason', () => {
  it('is one CamelCase word per entry', () => {
    for (const r of Reason.options) expect(r).toMatch(/^[A-Z][A-Za-z]+$/);
  });
  it('lists each reason once', () => {
    const all = [...PlanReason.options, ...ConditionReason.options, ...EventReason.options];
    expect(new Set(all).size).toBe(all.length);
  });
  it('parses a known reason and refuses an unknown one', () => {
    expect(Reason.parse('InSync')).toBe('InSync');
    expect(Reason.safeParse('insync').success).toBe(false);
  });
});
