// Field selectors in kubectl's syntax (pure): `claude.activity=WaitingForInput,phase!=Failed`; `=`, `==`, `!=`, comma = and.
import type { StatusItem } from '../../controllers/agent/status-items.js';

export interface FieldRequirement {
  field: string;
  equal: boolean;
  value: string;
}

export class FieldSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldSelectorError';
  }
}

/** The fields a selector may name, and how each reads an item (null: the agent has no such field). */
const FIELDS: Record<string, (i: StatusItem) => string | null> = {
  'metadata.name': (i) => i.name,
  name: (i) => i.name,
  runtime: (i) => i.runtime,
  host: (i) => i.host,
  phase: (i) => i.phase,
  'status.phase': (i) => i.phase,
  ready: (i) => String(i.ready),
  desiredState: (i) => i.desiredState,
  'claude.activity': (i) => i.claude?.activity ?? null,
  'claude.waitingFor': (i) => i.claude?.waitingFor ?? null,
  'claude.model': (i) => i.claude?.model ?? null,
};

export const FIELD_NAMES = Object.keys(FIELDS);

export function parseFieldSelector(text: string): FieldRequirement[] {
  if (text.trim() === '') return [];
  return text.split(',').map((raw) => {
    const m = /^\s*([^=!\s]+)\s*(==|!=|=)\s*([^=!]*?)\s*$/.exec(raw);
    if (!m)
      throw new FieldSelectorError(
        `invalid field selector "${text}": "${raw.trim()}" is not field=value or field!=value`,
      );
    if (!Object.hasOwn(FIELDS, m[1]!))
      throw new FieldSelectorError(`field label not supported: ${m[1]} (supported: ${FIELD_NAMES.join(', ')})`);
    return { field: m[1]!, equal: m[2] !== '!=', value: m[3]! };
  });
}

/** A field the agent does not have (a command agent's claude.activity) equals nothing. */
export function matchesFields(reqs: readonly FieldRequirement[], i: StatusItem): boolean {
  return reqs.every((r) => {
    const v = FIELDS[r.field]!(i);
    return r.equal ? v === r.value : v !== r.value;
  });
}
