// Maps spec.context_management (the older tool's context policy) to claude.context.
import type { ClaudeContext } from '../spec/schema.js';
import type { Notes } from './notes.js';
import { child, isMap, seconds } from './values.js';

const NOT_NEEDED: Record<string, string> = {
  warn_before_n_checks: 'agentctl records an event when it acts',
  state_file: 'agentctl keeps the policy state in its registry',
};

/** undefined when the policy was `noop` (the older default) or missing. */
export function mapContext(old: unknown, notes: Notes): Partial<ClaudeContext> | undefined {
  if (!isMap(old)) {
    notes.notMapped('spec.context_management', old, 'not a map');
    return undefined;
  }
  const out: Partial<ClaudeContext> = {};
  let noop = old.strategy === undefined;
  for (const [key, value] of Object.entries(old)) {
    const path = child('spec.context_management', key);
    if (key === 'strategy') {
      if (value === 'compact' || value === 'restart') out.strategy = value;
      else if (value === 'noop') noop = true;
      else notes.notMapped(path, value, 'compact, restart or noop');
    } else if (key === 'trigger_at_percent') {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
      if (Number.isFinite(n) && n > 0 && n <= 100) out.triggerAtPercent = n;
      else notes.notMapped(path, value, 'a percentage above 0, at most 100');
    } else if (key === 'check_interval_seconds') {
      const s = seconds(value);
      if (s === undefined) notes.notMapped(path, value, 'not a duration');
      else out.checkIntervalSeconds = s;
    } else if (NOT_NEEDED[key] !== undefined) notes.notMapped(path, value, NOT_NEEDED[key]);
    else notes.notMapped(path, value);
  }
  if (noop) {
    notes.add('context_management strategy was noop (nothing done at any context use): no claude.context');
    return undefined;
  }
  // The older tool's default trigger was 70%, agentctl's is 85%: keep the older one.
  if (out.triggerAtPercent === undefined) out.triggerAtPercent = 70;
  return out;
}
