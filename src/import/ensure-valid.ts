// Makes sure a converted document passes the real schema: a field the schema refuses is dropped
// and noted, so the output always validates.
import { AgentDocument } from '../spec/schema.js';
import { formatPath, type PathSegment } from '../spec/errors.js';
import type { NewDocument } from './convert-document.js';
import type { Notes } from './notes.js';

/** Each round drops at least one field, so a handful of rounds always suffices. */
const MAX_ROUNDS = 20;

export function ensureValid(doc: NewDocument, notes: Notes): NewDocument {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const checked = AgentDocument.safeParse(doc);
    if (checked.success) return doc;
    const issue = checked.error.issues[0];
    const [top, field] = issue?.path ?? [];
    if (issue === undefined || top !== 'spec' || typeof field !== 'string' || !(field in doc.spec)) break;
    notes.add(`dropped spec.${field}: ${pathOf(issue.path)}: ${issue.message}`);
    doc.spec = Object.fromEntries(Object.entries(doc.spec).filter(([k]) => k !== field));
  }
  // Only a bug in a mapper gets here: every mapper checks its own fields.
  const checked = AgentDocument.safeParse(doc);
  if (!checked.success)
    throw new Error(
      `converted spec does not validate: ${checked.error.issues.map((i) => `${pathOf(i.path)}: ${i.message}`).join('; ')}`,
    );
  return doc;
}

function pathOf(path: readonly PropertyKey[]): string {
  return formatPath(path.filter((s): s is PathSegment => typeof s !== 'symbol'));
}
