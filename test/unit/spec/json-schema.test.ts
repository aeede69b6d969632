// The editors' JSON Schema: every document the specs folder may hold passes it (Agent, Host,
// _defaults.yaml, overlays), and what validate refuses for a field it refuses too.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { specJsonSchema } from '../../../src/spec/json-schema.js';
import { ROOT } from '../../helpers/cli.js';

const validate = new Ajv({ strict: false, allErrors: true }).compile(specJsonSchema());
const docs = (text: string): unknown[] => parseAllDocuments(text).map((d) => d.toJS() as unknown);
const ok = (doc: unknown): boolean => validate(doc);

describe('the spec JSON Schema', () => {
  it('is draft-07 with one branch per kind of document', () => {
    const s = specJsonSchema();
    expect(s.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect((s.oneOf as { title: string }[]).map((b) => b.title)).toEqual([
      'Agent',
      'Host',
      'defaults or overlay layer (_defaults.yaml, _overlays/HOST/NAME.yaml)',
    ]);
  });

  it("accepts every document of the repository's specs/, _defaults.yaml included", () => {
    const dir = join(ROOT, 'specs');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files).toContain('_defaults.yaml');
    for (const f of files)
      for (const d of docs(readFileSync(join(dir, f), 'utf8')))
        expect(ok(d), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
  });

  it.each([
    [
      'a Host',
      'apiVersion: agentctl/v1\nkind: Host\nmetadata: {name: gpu1}\nspec: {ssh: {host: gpu1.example.org, jump: [login]}, slurm: true}\n',
    ],
    ['a Host without ssh', 'apiVersion: agentctl/v1\nkind: Host\nmetadata: {name: lab}\nspec: {}\n'],
    ['defaults', 'spec:\n  restartPolicy: OnFailure\n  backoff: {maxSeconds: 600}\nmetadata: {labels: {team: ml}}\n'],
    ['an overlay removing a default with null', 'spec: {env: {DEBUG: null}, healthCheck: null}\n'],
    [
      'an agent with annotations',
      'apiVersion: agentctl/v1\nkind: Agent\nmetadata: {name: a, annotations: {owner: "x@y"}}\nspec: {command: [sleep, "9"]}\n',
    ],
  ])('accepts %s', (_, text) => {
    for (const d of docs(text)) expect(ok(d), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['a typo in an agent', 'apiVersion: agentctl/v1\nkind: Agent\nmetadata: {name: a}\nspec: {comand: [sleep]}\n'],
    ['a typo in a Host', 'apiVersion: agentctl/v1\nkind: Host\nmetadata: {name: h}\nspec: {shh: {host: x}}\n'],
    ['a bad enum in defaults', 'spec: {restartPolicy: Sometimes}\n'],
    ['an unknown top-level field in defaults', 'specs: {}\n'],
    ['an unknown kind', 'apiVersion: agentctl/v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n'],
    [
      'an agent name with capitals',
      'apiVersion: agentctl/v1\nkind: Agent\nmetadata: {name: Web}\nspec: {command: [x]}\n',
    ],
  ])('refuses %s', (_, text) => {
    expect(docs(text).every(ok)).toBe(false);
  });
});
