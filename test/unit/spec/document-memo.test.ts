import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/spec/assemble.js';
import { DocumentMemo } from '../../../src/spec/document-memo.js';
import { parseYaml, type ParsedFile } from '../../../src/spec/yaml-source.js';

const file = (name: string, cmd = 'sleep'): ParsedFile =>
  parseYaml(
    `specs/${name}.yaml`,
    `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: ${name}\nspec:\n  command: [${cmd}, '60']\n`,
  );
const defaults = (env: string): ParsedFile => parseYaml('specs/_defaults.yaml', `spec:\n  env: {A: "${env}"}\n`);

describe('DocumentMemo in assemble', () => {
  it('reuses the document of the very same layers, and only then', () => {
    const memo = new DocumentMemo();
    const a = file('a');
    const d = defaults('1');
    const first = assemble({ files: [a], defaults: d, overlays: new Map(), memo }).agents.get('a')!.document;
    expect(assemble({ files: [a], defaults: d, overlays: new Map(), memo }).agents.get('a')!.document).toBe(first);
    // New defaults (another object, other content): assembled again, with the new value.
    const again = assemble({ files: [a], defaults: defaults('2'), overlays: new Map(), memo }).agents.get(
      'a',
    )!.document;
    expect(again).not.toBe(first);
    expect(again.spec.env).toEqual({ A: '2' });
    // An overlay added: assembled again.
    const overlay = parseYaml('specs/_overlays/h/a.yaml', `spec:\n  env: {A: "3"}\n`);
    const over = assemble({ files: [a], defaults: d, overlays: new Map([['a', overlay]]), memo }).agents.get(
      'a',
    )!.document;
    expect(over.spec.env).toEqual({ A: '3' });
  });

  it('gives the same documents as no memo', () => {
    const files = [file('a'), file('b', 'true')];
    const plain = assemble({ files, overlays: new Map() });
    const memo = new DocumentMemo();
    assemble({ files, overlays: new Map(), memo });
    const memoised = assemble({ files, overlays: new Map(), memo });
    expect([...memoised.agents.values()].map((x) => x.document)).toEqual(
      [...plain.agents.values()].map((x) => x.document),
    );
  });

  it('computes a hash once per spec object and digests', () => {
    const memo = new DocumentMemo();
    const spec = assemble({ files: [file('a')], overlays: new Map() }).agents.get('a')!.document.spec;
    let calls = 0;
    const h = (): string => `h${++calls}`;
    expect(memo.hash(spec, [], h)).toBe('h1');
    expect(memo.hash(spec, [], h)).toBe('h1');
    expect(memo.hash(spec, ['x'], h)).toBe('h2');
  });
});
