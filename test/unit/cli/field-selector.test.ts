// --field-selector in kubectl's syntax over get's items (pure).
import { describe, expect, it } from 'vitest';
import type { StatusItem } from '../../../controllers/agent/status-items.js';
import { FieldSelectorError, matchesFields, parseFieldSelector } from '../../../src/cli/field-selector.js';

const item = (o: Partial<StatusItem> & { activity?: string }): StatusItem =>
  ({
    name: 'a',
    runtime: 'tmux',
    phase: 'Running',
    ready: true,
    host: 'h',
    desiredState: 'Running',
    ...(o.activity ? { claude: { activity: o.activity, waitingFor: null, model: null } } : {}),
    ...o,
  }) as unknown as StatusItem;

describe('field selector', () => {
  it.each([
    { sel: 'claude.activity=WaitingForInput', i: item({ activity: 'WaitingForInput' }), want: true },
    { sel: 'claude.activity==WaitingForInput', i: item({ activity: 'Idle' }), want: false },
    { sel: 'claude.activity!=Idle', i: item({ activity: 'Working' }), want: true },
    { sel: 'claude.activity!=Idle', i: item({}), want: true },
    { sel: 'claude.activity=Idle', i: item({}), want: false },
    { sel: 'phase=Running,ready=true', i: item({}), want: true },
    { sel: 'phase=Running, ready=false', i: item({}), want: false },
    { sel: 'metadata.name=a', i: item({}), want: true },
    { sel: '', i: item({}), want: true },
  ])('$sel → $want', ({ sel, i, want }) => {
    expect(matchesFields(parseFieldSelector(sel), i)).toBe(want);
  });

  it.each([
    { sel: 'claude.mood=happy', msg: 'field label not supported: claude.mood' },
    { sel: 'phase', msg: 'is not field=value' },
    { sel: 'phase=a=b', msg: 'is not field=value' },
  ])('$sel is an error', ({ sel, msg }) => {
    expect(() => parseFieldSelector(sel)).toThrow(FieldSelectorError);
    expect(() => parseFieldSelector(sel)).toThrow(msg);
  });
});
