// Shared by the agentctl import tests: the corpus of older-format files and a converter shortcut.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { expect } from 'vitest';
import { convertOldSpecs } from '../../src/import/convert.js';
import { AgentDocument } from '../../src/spec/schema.js';
import { ROOT } from './cli.js';

export const FIXTURES = join(ROOT, 'test', 'fixtures', 'import');

/** Every `X.yaml` of the corpus that has an `X.expected.yaml`, as paths relative to FIXTURES
 * (v3 specs sit in `v3/NAME/spec.yaml`, named after their folder). */
export function corpus(dir = FIXTURES): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return corpus(path);
    return name.endsWith('.expected.yaml') ? [relative(FIXTURES, path).replace(/\.expected\.yaml$/, '.yaml')] : [];
  });
}

export const fixture = (rel: string): string => readFileSync(join(FIXTURES, rel), 'utf8');

/** Every document of a converted output, parsed and checked by the schema the loader uses. */
export function validate(yamlText: string): AgentDocument[] {
  return parseAllDocuments(yamlText).map((d) => {
    expect(d.errors).toEqual([]);
    const checked = AgentDocument.safeParse(d.toJS());
    if (!checked.success) throw new Error(`does not validate: ${JSON.stringify(checked.error.issues)}\n${yamlText}`);
    return checked.data;
  });
}

/** A spec of the old format with the given `spec` section. */
export function old(spec: Record<string, unknown>, name = 'sample', apiVersion = 'cld-agent/v1'): string {
  return JSON.stringify({ apiVersion, kind: 'Agent', metadata: { name }, spec });
}

export function convertOne(
  spec: Record<string, unknown>,
  name = 'sample',
  apiVersion = 'cld-agent/v1',
): { yaml: string; doc: AgentDocument } {
  const { yaml } = convertOldSpecs(old(spec, name, apiVersion), 'sample.yaml');
  const [doc] = validate(yaml);
  return { yaml, doc: doc! };
}
