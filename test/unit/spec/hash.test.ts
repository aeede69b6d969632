// The spec hash: stable across YAML formatting and key order, sensitive to exactly the process fields.
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble } from '../../../src/spec/assemble.js';
import { formatSpecError } from '../../../src/spec/errors.js';
import { canonicalJson, specHash } from '../../../src/spec/hash.js';
import { loadSpecs } from '../../../src/spec/load.js';
import { parseYaml } from '../../../src/spec/yaml-source.js';
import { removeTree } from '../../helpers/remove-tree.js';

/** Hash of the one agent in a YAML text (optionally under a _defaults.yaml), failing on errors. */
function hashOf(text: string, defaults?: string): string {
  const r = assemble({
    files: [parseYaml('specs/a.yaml', text)],
    ...(defaults ? { defaults: parseYaml('specs/_defaults.yaml', defaults) } : {}),
    overlays: new Map(),
  });
  expect(r.errors.map(formatSpecError)).toEqual([]);
  const a = r.agents.get('a');
  if (!a) throw new Error('agent a not assembled');
  return specHash(a.document.spec);
}

const doc = (specLines: string): string =>
  `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: a\nspec:\n${specLines}`;
const BASE = doc('  command: [sleep, "60"]\n  workdir: /tmp\n  env: {A: "1", B: two}\n');
const base = hashOf(BASE);

describe('stable', () => {
  it('is the sha256 of the sorted-key JSON of the process fields', () => {
    const canonical =
      '{"claude":null,"command":["sleep","60"],"env":{"A":"1","B":"two"},"envFiles":[],"files":{},"runtime":"tmux","slurm":null,"workdir":"/tmp"}';
    expect(base).toBe(createHash('sha256').update(canonical).digest('hex'));
  });

  it.each([
    [
      'block style everywhere',
      doc('  command:\n    - sleep\n    - "60"\n  workdir: /tmp\n  env:\n    A: "1"\n    B: two\n'),
    ],
    [
      'keys in another order',
      'kind: Agent\nspec:\n  env: {B: two, A: "1"}\n  workdir: /tmp\n  command: [sleep, "60"]\nmetadata:\n  name: a\napiVersion: agentctl/v1\n',
    ],
    ['other quoting', doc("  command: ['sleep', '60']\n  workdir: \"/tmp\"\n  env: {\"A\": '1', 'B': \"two\"}\n")],
    [
      'comments and blank lines',
      `# header\n${doc('  # the program\n  command: [sleep, "60"]   # trailing\n\n  workdir: /tmp\n  env: {A: "1", B: two}\n')}`,
    ],
    [
      'a flow mapping for the whole spec',
      'apiVersion: agentctl/v1\nkind: Agent\nmetadata: {name: a}\nspec: {command: [sleep, "60"], workdir: /tmp, env: {A: "1", B: two}}\n',
    ],
    ['env values written as numbers', doc('  command: [sleep, "60"]\n  workdir: /tmp\n  env: {A: 1, B: two}\n')],
    ['a document start marker', `---\n${BASE}`],
    [
      'explicit defaults (runtime tmux, no files, no envFiles)',
      doc(
        '  command: [sleep, "60"]\n  workdir: /tmp\n  env: {A: "1", B: two}\n  runtime: tmux\n  files: {}\n  envFiles: []\n',
      ),
    ],
    ['explicit tags', doc('  command: [sleep, !!str 60]\n  workdir: /tmp\n  env: {A: !!str 1, B: two}\n')],
  ])('unchanged by %s', (_, text) => {
    expect(hashOf(text)).toBe(base);
  });

  it('is the same whether a field comes from _defaults.yaml or from the spec', () => {
    expect(hashOf(doc('  command: [sleep, "60"]\n'), 'spec:\n  workdir: /tmp\n  env: {A: "1", B: two}\n')).toBe(base);
  });

  it('an omitted workdir hashes as its default, ~/agents/<name>', () => {
    expect(hashOf(doc('  command: [x]\n'))).toBe(hashOf(doc('  command: [x]\n  workdir: ~/agents/a\n')));
  });

  it('canonicalJson sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: [2, 1, { d: 1, c: 2 }], a: { z: null, y: undefined } })).toBe(
      '{"a":{"z":null},"b":[2,1,{"c":2,"d":1}]}',
    );
  });
});

describe('changes with what changes the process', () => {
  it.each([
    ['command', doc('  command: [sleep, "61"]\n  workdir: /tmp\n  env: {A: "1", B: two}\n')],
    ['command argument order', doc('  command: ["60", sleep]\n  workdir: /tmp\n  env: {A: "1", B: two}\n')],
    ['env value', doc('  command: [sleep, "60"]\n  workdir: /tmp\n  env: {A: "2", B: two}\n')],
    ['env added', doc('  command: [sleep, "60"]\n  workdir: /tmp\n  env: {A: "1", B: two, C: x}\n')],
    ['env removed', doc('  command: [sleep, "60"]\n  workdir: /tmp\n  env: {A: "1"}\n')],
    ['workdir', doc('  command: [sleep, "60"]\n  workdir: /var/tmp\n  env: {A: "1", B: two}\n')],
    [
      'files added',
      doc('  command: [sleep, "60"]\n  workdir: /tmp\n  env: {A: "1", B: two}\n  files: {CLAUDE.md: hello}\n'),
    ],
    [
      'envFiles list',
      doc('  command: [sleep, "60"]\n  workdir: /tmp\n  env: {A: "1", B: two}\n  envFiles: [/nonexistent/x.env]\n'),
    ],
    ['runtime', doc('  command: [sleep, "60"]\n  workdir: /tmp\n  env: {A: "1", B: two}\n  runtime: slurm\n')],
    ['claude instead of command', doc('  claude: {model: opus}\n  workdir: /tmp\n  env: {A: "1", B: two}\n')],
  ])('%s', (_, text) => {
    expect(hashOf(text)).not.toBe(base);
  });

  it('files content', () => {
    const f = (c: string): string => hashOf(doc(`  command: [x]\n  files: {CLAUDE.md: "${c}"}\n`));
    expect(f('one')).not.toBe(f('two'));
  });

  it('claude preset fields', () => {
    const c = (preset: string): string => hashOf(doc(`  claude: ${preset}\n`));
    const hashes = new Set([
      c('{model: opus}'),
      c('{model: sonnet}'),
      c('{model: opus, session: continue}'),
      c('{model: opus, flags: [--verbose]}'),
      c('{model: opus, channels: [x]}'),
    ]);
    expect(hashes.size).toBe(5);
  });

  it('slurm settings, for a slurm agent', () => {
    const s = (slurm: string): string => hashOf(doc(`  command: [x]\n  runtime: slurm\n  slurm: ${slurm}\n`));
    expect(s('{partition: debug}')).not.toBe(s('{partition: gpu}'));
    expect(s('{partition: debug, memory: 4G}')).not.toBe(s('{partition: debug, memory: 8G}'));
  });

  it('slurm settings do not restart a tmux agent (they do not apply to it)', () => {
    const t = (slurm: string): string => hashOf(doc(`  command: [x]\n  slurm: ${slurm}\n`));
    expect(t('{partition: debug}')).toBe(t('{partition: gpu}'));
  });
});

describe('unchanged by what never restarts an agent', () => {
  it.each([
    ['state', '  state: Stopped\n'],
    ['restartPolicy', '  restartPolicy: Never\n'],
    ['backoff', '  backoff: {initialSeconds: 1, maxSeconds: 2, resetAfterSeconds: 3}\n'],
    ['stopGracePeriodSeconds', '  stopGracePeriodSeconds: 99\n'],
    ['healthCheck', '  healthCheck: {exec: [curl, -fsS, http://127.0.0.1:1/], periodSeconds: 5}\n'],
    [
      'hooks',
      '  hooks: {preStart: [echo hi], postStop: [{exec: [/bin/true]}], preStop: [{url: "https://example.com/x"}]}\n',
    ],
    ['dependsOn', '  dependsOn: [b]\n'],
    ['host', '  host: testhost\n'],
    ['listen', '  listen: [{port: 8080, name: http}]\n'],
    ['extensions', '  extensions: {team: {x: 1}}\n'],
  ])('%s', (_, extra) => {
    const text = extra.includes('dependsOn')
      ? `${BASE}${extra}---\n${doc('  command: [x]\n').replace('name: a', 'name: b')}`
      : `${BASE}${extra}`;
    expect(hashOf(text)).toBe(base);
  });

  it('labels and annotations', () => {
    expect(hashOf(BASE.replace('  name: a\n', '  name: a\n  labels: {team: lab}\n  annotations: {note: x}\n'))).toBe(
      base,
    );
  });
});

describe('envFiles count by content (loadSpecs reads them)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentctl-hash-'));
  afterAll(() => removeTree(dir));
  const specs = join(dir, 'specs');
  mkdirSync(specs);
  const envFile = join(dir, 'secret.env');
  writeFileSync(join(specs, 'a.yaml'), doc(`  command: [x]\n  workdir: /tmp\n  envFiles: [${envFile}]\n`));
  const load = async (): Promise<string> => {
    const s = await loadSpecs({ specsDir: specs, host: 'h', home: dir });
    return s.agents.get('a')!.hash;
  };

  it('changes when the content changes, and only then', async () => {
    writeFileSync(envFile, 'TOKEN=one\n');
    const one = await load();
    expect(await load()).toBe(one);
    writeFileSync(envFile, 'TOKEN=two\n');
    const two = await load();
    expect(two).not.toBe(one);
    writeFileSync(envFile, 'TOKEN=one\n');
    expect(await load()).toBe(one);
  });

  it('a missing env file hashes differently from a present one, and does not fail the load', async () => {
    writeFileSync(envFile, 'TOKEN=one\n');
    const present = await load();
    rmSync(envFile);
    const missing = await load();
    expect(missing).toMatch(/^[0-9a-f]{64}$/);
    expect(missing).not.toBe(present);
  });

  it('a ~ path is read from the given home', async () => {
    writeFileSync(join(dir, 'home.env'), 'A=1\n');
    writeFileSync(join(specs, 'a.yaml'), doc('  command: [x]\n  workdir: /tmp\n  envFiles: [~/home.env]\n'));
    const h1 = await load();
    writeFileSync(join(dir, 'home.env'), 'A=2\n');
    expect(await load()).not.toBe(h1);
  });
});
