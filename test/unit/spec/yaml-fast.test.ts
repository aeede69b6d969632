import { describe, expect, it } from 'vitest';
import { contentStart, fastParse } from '../../../src/spec/yaml-fast.js';
import { parseWithYaml, parseYamlValues } from '../../../src/spec/yaml-source.js';

/** NaN and infinities survive the comparison (JSON would turn them into null). */
const norm = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? `number:${x}` : x));

// Every text the fast path takes must give exactly what `yaml` gives.
const TAKEN: string[] = [
  'a: 1',
  'a: 0o17',
  'a: 0x1F',
  'a: 0b101',
  'a: 1_000',
  'a: 1e3',
  'a: 1.5e-3',
  'a: .5',
  'a: 5.',
  'a: +12',
  'a: -0',
  'a: 012',
  'a: .inf',
  'a: -.Inf',
  'a: +.INF',
  'a: .NaN',
  'a: .nan',
  'a: 1.0',
  'a: 0x',
  'a: 0o8',
  'a: +0x1',
  'a: -1e-3',
  'a: 1E3',
  'a: 12345678901234567890',
  'a: true',
  'a: True',
  'a: TRUE',
  'a: tRUE',
  'a: yes',
  'a: on',
  'a: off',
  'a: y',
  'a: ~',
  'a: null',
  'a: Null',
  'a: NULL',
  'a: nULL',
  'a:',
  'a: ""',
  "a: 'x''y'",
  'a: "\\x41\\u00e9\\N\\_\\t"',
  'a: 2001-12-14',
  'a: 2001-12-14T21:59:43.10-05:00',
  'a: 0.1.2',
  'a: 1:30',
  'a: =',
  '1: a',
  '1.0: a',
  'true: b',
  'é: ü',
  'a: |\n  x\n  y\n',
  'a: >\n  x\n  y\n\n  z\n',
  'a: |-\n  x\n',
  'a: |+\n  x\n\n',
  'a: >2\n   x\n',
  'a: b\n  c\n  d',
  'a: "b\n  c"',
  'a: [1, b, "c", {d: e}]',
  'a: {b: [1,2], c: }',
  'a: b # c',
  'a: b#c',
  '# c\n\n---\n# x\na: 1',
  '--- {a: 1}',
  '---\na: 1\n',
  '--- # c\na: 1',
  'a:\n  - b\n  -\n  - c: d\n    e: f',
  '? a\n: b',
  '  a: 1\n  b: 2',
  'a: 1\r\nb: 2\r\n',
  '\uFEFFa: 1',
  '__proto__: {a: 1}\nb: 2',
  'constructor: 1',
  'apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: x\nspec: {"command":["sleep","86400"],"workdir":"/tmp"}\n',
  'apiVersion: agentctl/v1\nkind: Agent\nmetadata: {name: w, labels: {team: lab}}\nspec:\n  command: [python3, w.py]\n  env: {A: "1", B: 2}\n  files:\n    CLAUDE.md: |\n      # Title\n      text\n',
];

// Texts it must leave to `yaml` (which then reports errors and positions as always).
const DECLINED: string[] = [
  'a: &x 1\nb: *x',
  '"null": 1',
  'a: !!str 1',
  '<<: {a: 1}',
  'null: 1',
  '~: 1',
  'a: {~: 1}',
  '"1": a\n1: b',
  'a: 1\na: 2',
  'a: "\\0"',
  'a: "\\ud800"',
  '---\na: 1\n---\nb: 2\n',
  'a: 1\n...\n',
  'a: 1\n---\n',
  '%YAML 1.2\n---\na: 1',
  '- a\n- b',
  'x',
  '',
  '# only',
  '{a: 1} junk',
  'a: @x',
  'a: `x',
  'a: "unterminated',
  'a: [1, 2',
  'a:\n\tb: 1',
  'key: value\n  bad: indent',
  'a: b: c',
  'a: -',
  'a: "glob *.py"',
];

describe('fastParse agrees with yaml', () => {
  it.each(TAKEN)('takes %j and gives what yaml gives', (text) => {
    const fast = fastParse(text);
    expect(fast).toBeDefined();
    const slow = parseWithYaml('f.yaml', text);
    expect(slow.errors).toEqual([]);
    expect(slow.documents).toHaveLength(1);
    expect(norm(fast)).toBe(norm(slow.documents[0]));
  });

  it.each(DECLINED)('declines %j', (text) => {
    expect(fastParse(text)).toBeUndefined();
  });

  it('declined texts still parse (or fail) exactly as yaml says', () => {
    for (const text of DECLINED)
      expect(norm(parseYamlValues('f.yaml', text))).toBe(norm(parseWithYaml('f.yaml', text)));
  });
});

describe('contentStart', () => {
  it.each([
    ['a: 1', 0],
    ['\n\n  a: 1', 4],
    ['# c\na: 1', 4],
    ['---\na: 1', 4],
    ['--- {a: 1}', 4],
    ['---   # c\n\na: 1', 11],
    ['# only', undefined],
    ['a: 1\n---\nb: 1', undefined],
    ['a: 1\n...', undefined],
    ['%YAML 1.2\n---\na: 1', undefined],
  ] as const)('%j starts at %s', (text, want) => {
    expect(contentStart(text)).toBe(want);
  });
});
