// Spec errors name the exact `file:line:col: field.path: message`, and a broken file isolates only itself.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { assemble } from '../../../src/spec/assemble.js';
import { formatSpecError } from '../../../src/spec/errors.js';
import { loadSpecs, type SpecSet } from '../../../src/spec/load.js';
import { parseYaml } from '../../../src/spec/yaml-source.js';
import { removeTree } from '../../helpers/remove-tree.js';

const HEAD = (name: string): string => `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: ${name}\nspec:\n`;
/** A valid agent: 6 lines, `command` on line 6. Extra spec lines start at line 7. */
const agent = (name: string, extra = ''): string => `${HEAD(name)}  command: [sleep, '60']\n${extra}`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeTree(d);
});

interface Loaded {
  set: SpecSet;
  /** Errors rendered, with the temp folder shown as `specs`. */
  errors: string[];
  invalid: string[];
  agents: string[];
}

async function load(files: Record<string, string>, host = 'testhost'): Promise<Loaded> {
  const dir = mkdtempSync(join(tmpdir(), 'agentctl-spec-errors-'));
  dirs.push(dir);
  const specs = join(dir, 'specs');
  mkdirSync(specs);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(specs, rel)), { recursive: true });
    writeFileSync(join(specs, rel), text);
  }
  const set = await loadSpecs({ specsDir: specs, host, home: '/home/test' });
  const shown = (s: string): string => s.replaceAll(specs, 'specs');
  return {
    set,
    errors: set.errors.map((e) => shown(formatSpecError(e))),
    invalid: [...set.invalidFiles].map(shown).sort(),
    agents: [...set.agents.keys()].sort(),
  };
}

/** Errors of a single file, via parseYaml + assemble (no disk). */
function errorsOf(text: string, file = 'specs/x.yaml'): string[] {
  return assemble({ files: [parseYaml(file, text)], overlays: new Map() }).errors.map(formatSpecError);
}

describe('errors in one file, at exact positions', () => {
  it.each([
    {
      case: 'YAML syntax: tab indentation',
      text: `${agent('a')}\tworkdir: /tmp\n`,
      errors: ['specs/x.yaml:7:1: YAML: Tabs are not allowed as indentation'],
    },
    {
      case: 'YAML syntax: duplicate key',
      text: `${agent('a')}  command: [true]\n`,
      errors: ['specs/x.yaml:7:3: YAML: Map keys must be unique'],
    },
    {
      case: 'YAML syntax: nested mapping on one line',
      text: `${agent('a')}  env: A: b\n`,
      errors: ['specs/x.yaml:7:8: YAML: Nested mappings are not allowed in compact mappings'],
    },
    {
      case: 'unknown top-level field (typo of spec)',
      text: `${HEAD('a').replace('spec:', 'specs:')}  command: [x]\n`,
      errors: [
        'specs/x.yaml:1:1: spec: required field is missing (expected object)',
        'specs/x.yaml:5:1: specs: unknown field',
      ],
    },
    {
      case: 'unknown nested field',
      text: agent('a', '  restartPolicyy: Always\n'),
      errors: ['specs/x.yaml:7:3: spec.restartPolicyy: unknown field'],
    },
    {
      case: 'unknown field in a flow mapping two levels down',
      text: agent('a', '  backoff: {initialSecond: 3}\n'),
      errors: ['specs/x.yaml:7:13: spec.backoff.initialSecond: unknown field'],
    },
    {
      case: 'unknown field in metadata',
      text: agent('a').replace('  name: a\n', '  name: a\n  label: {x: y}\n'),
      errors: ['specs/x.yaml:5:3: metadata.label: unknown field'],
    },
    {
      case: 'wrong type: command as a string',
      text: `${HEAD('a')}  command: sleep 10\n`,
      errors: ['specs/x.yaml:6:12: spec.command: expected array, received string'],
    },
    {
      case: 'wrong type: a number as a string',
      text: agent('a', '  stopGracePeriodSeconds: "ten"\n'),
      errors: ['specs/x.yaml:7:27: spec.stopGracePeriodSeconds: expected number, received string'],
    },
    {
      case: 'wrong enum value',
      text: agent('a', '  state: Sleeping\n'),
      errors: ['specs/x.yaml:7:10: spec.state: expected one of "Running"|"Stopped"'],
    },
    {
      case: 'wrong type inside a list',
      text: `${HEAD('a')}  command: [sleep, {n: 1}]\n`,
      errors: ['specs/x.yaml:6:20: spec.command[1]: expected string, received object'],
    },
    {
      case: 'missing command and claude',
      text: `${HEAD('a')}  workdir: /tmp\n`,
      errors: ['specs/x.yaml:6:3: spec.command: exactly one of command or claude is required'],
    },
    {
      case: 'both command and claude',
      text: agent('a', '  claude: {model: opus}\n'),
      errors: ['specs/x.yaml:6:12: spec.command: exactly one of command or claude is required'],
    },
    {
      case: 'empty command',
      text: `${HEAD('a')}  command: []\n`,
      errors: [
        'specs/x.yaml:6:12: spec.command: must hold at least the program',
        'specs/x.yaml:6:12: spec.command: the program (first element) must not be empty',
      ],
    },
    {
      case: 'bad name: uppercase and underscore',
      text: agent('Bad_Name'),
      errors: [
        'specs/x.yaml:4:9: metadata.name: must be lowercase letters, digits and "-", start and end alphanumeric, at most 63 characters',
      ],
    },
    {
      case: 'bad name: trailing dash',
      text: agent('web-'),
      errors: [
        'specs/x.yaml:4:9: metadata.name: must be lowercase letters, digits and "-", start and end alphanumeric, at most 63 characters',
      ],
    },
    {
      case: 'bad name: 64 characters',
      text: agent('a'.repeat(64)),
      errors: [
        'specs/x.yaml:4:9: metadata.name: must be lowercase letters, digits and "-", start and end alphanumeric, at most 63 characters',
      ],
    },
    {
      case: 'missing name',
      text: agent('a').replace('  name: a\n', '  labels: {x: y}\n'),
      errors: ['specs/x.yaml:4:3: metadata.name: required field is missing (expected string)'],
    },
    {
      case: 'hook of an unknown form',
      text: agent('a', '  hooks:\n    preStart:\n      - echo ok\n      - {run: [x]}\n'),
      errors: [
        'specs/x.yaml:10:9: spec.hooks.preStart[1]: a hook is a shell string, {shell: "..."}, {exec: [argv]} or {url: http(s)://...}, each with an optional timeoutSeconds',
      ],
    },
    {
      case: 'hook url that is not http(s)',
      text: agent('a', '  hooks: {postStop: [{url: "ftp://x/y"}]}\n'),
      errors: ['specs/x.yaml:7:28: spec.hooks.postStop[0].url: Invalid URL'],
    },
    {
      case: 'unknown hook name',
      text: agent('a', '  hooks: {preStrat: [echo]}\n'),
      errors: ['specs/x.yaml:7:11: spec.hooks.preStrat: unknown field'],
    },
    {
      case: 'files: paths with .. or absolute, reported at the key',
      text: agent('a', '  files:\n    ../escape.md: hi\n    /etc/passwd: x\n    ok/../../b: x\n    ~/x: y\n'),
      errors: [
        'specs/x.yaml:8:5: spec.files["../escape.md"]: file path must not contain ".."',
        'specs/x.yaml:9:5: spec.files["/etc/passwd"]: file path must be relative to the workdir',
        'specs/x.yaml:10:5: spec.files["ok/../../b"]: file path must not contain ".."',
        'specs/x.yaml:11:5: spec.files["~/x"]: file path must be relative to the workdir',
      ],
    },
    {
      case: 'env: a name that is not a variable name, reported at the key',
      text: agent('a', '  env:\n    bad-key: 1\n    OK: {a: 1}\n'),
      errors: [
        'specs/x.yaml:8:5: spec.env.bad-key: environment variable names are letters, digits and _',
        'specs/x.yaml:9:9: spec.env.OK: expected a string, number or boolean',
      ],
    },
    {
      case: 'relative workdir',
      text: agent('a', '  workdir: agents/a\n'),
      errors: ['specs/x.yaml:7:12: spec.workdir: must be an absolute path or start with ~/'],
    },
    {
      case: 'relative envFiles entry',
      text: agent('a', '  envFiles: [a.env]\n'),
      errors: ['specs/x.yaml:7:14: spec.envFiles[0]: must be an absolute path or start with ~/'],
    },
    {
      case: 'apiVersion of another format',
      text: 'apiVersion: v1\nkind: Agent\n',
      errors: [
        'specs/x.yaml:1:1: apiVersion: apiVersion must be agentctl/v1 (got "v1"); run `agentctl import` for older formats',
      ],
    },
    {
      case: 'another kind',
      text: 'apiVersion: agentctl/v1\nkind: Job\n',
      errors: ['specs/x.yaml:2:1: kind: kind must be Agent or Host (got "Job")'],
    },
    {
      case: 'a document that is not a mapping',
      text: '- a\n- b\n',
      errors: ['specs/x.yaml:1:1: a spec document must be a mapping'],
    },
    {
      case: 'self dependency',
      text: agent('a', '  dependsOn: [a]\n'),
      errors: [
        'specs/x.yaml:7:14: spec.dependsOn: dependency cycle: a -> a',
        'specs/x.yaml:7:15: spec.dependsOn[0]: an agent cannot depend on itself',
      ],
    },
  ])('$case', ({ text, errors }) => {
    expect(errorsOf(text)).toEqual(errors);
  });

  it('claude resume without a resumeId is valid: it falls back to --continue, as the older tool did', () => {
    expect(errorsOf(`${HEAD('a')}  claude: {session: resume}\n`)).toEqual([]);
  });

  it('a valid spec has no errors', () => {
    expect(
      errorsOf(agent('a', '  env: {A: 1, B: true}\n  files: {CLAUDE.md: x, sub/dir/f.txt: y}\n  workdir: ~/w\n')),
    ).toEqual([]);
  });
});

describe('errors across files (loadSpecs on a temp folder)', () => {
  it('a name used in two files is an error on both, each pointing at the other', async () => {
    const r = await load({
      'a.yaml': agent('a'),
      'sub/b.yaml': `${agent('b')}---\n${agent('a')}`,
      'c.yaml': agent('c'),
    });
    expect(r.errors).toEqual([
      `specs/a.yaml:4:9: metadata.name: duplicate agent name "a" (also at specs/sub/b.yaml:8)`,
      `specs/sub/b.yaml:11:9: metadata.name: duplicate agent name "a" (also at specs/a.yaml:1)`,
    ]);
    expect(r.invalid).toEqual(['specs/a.yaml', 'specs/sub/b.yaml']);
    // Both files are isolated, every agent in them; the names are still known as invalid.
    expect(r.agents).toEqual(['c']);
    expect([...r.set.invalidNames.keys()].sort()).toEqual(['a', 'b']);
  });

  it('a dependency on an unknown name is an error at that list entry', async () => {
    const r = await load({ 'a.yaml': agent('a', '  dependsOn: [b, nope]\n'), 'b.yaml': agent('b') });
    expect(r.errors).toEqual(['specs/a.yaml:7:18: spec.dependsOn[1]: depends on unknown agent "nope"']);
    expect(r.agents).toEqual(['b']);
  });

  it('a dependency cycle is an error in every file on it, and the message names the cycle', async () => {
    const r = await load({
      'a.yaml': agent('a', '  dependsOn: [b]\n'),
      'b.yaml': agent('b', '  dependsOn:\n    - c\n'),
      'c.yaml': agent('c', '  dependsOn: [a]\n'),
      'd.yaml': agent('d', '  dependsOn: [a]\n'),
    });
    expect(r.errors).toEqual([
      'specs/a.yaml:7:14: spec.dependsOn: dependency cycle: a -> b -> c -> a',
      'specs/b.yaml:8:5: spec.dependsOn: dependency cycle: a -> b -> c -> a',
      'specs/c.yaml:7:14: spec.dependsOn: dependency cycle: a -> b -> c -> a',
    ]);
    expect(r.invalid).toEqual(['specs/a.yaml', 'specs/b.yaml', 'specs/c.yaml']);
    // d depends on a member of the cycle but is not on it.
    expect(r.agents).toEqual(['d']);
  });

  it('an error in _defaults.yaml is reported once, in _defaults.yaml, and isolates every agent', async () => {
    const r = await load({
      '_defaults.yaml': 'spec:\n  restartPolicy: Sometimes\n  stopGracePeriodSecond: 3\n',
      'a.yaml': agent('a'),
      'b.yaml': agent('b'),
    });
    expect(r.errors).toEqual([
      'specs/_defaults.yaml:2:18: spec.restartPolicy: expected one of "Always"|"OnFailure"|"Never"',
      'specs/_defaults.yaml:3:3: spec.stopGracePeriodSecond: unknown field',
    ]);
    expect(r.invalid).toEqual(['specs/_defaults.yaml', 'specs/a.yaml', 'specs/b.yaml']);
    expect(r.agents).toEqual([]);
  });

  it('a syntax error in _defaults.yaml isolates every agent', async () => {
    const r = await load({ '_defaults.yaml': 'spec: {restartPolicy: Always\n', 'a.yaml': agent('a') });
    // Only the syntax error: nothing else is said about a file that could not be read.
    expect(r.errors).toEqual([
      'specs/_defaults.yaml:2:1: YAML: Flow map in block collection must be sufficiently indented and end with a }',
    ]);
    expect(r.agents).toEqual([]);
    expect(r.invalid).toContain('specs/a.yaml');
  });

  it('a top-level field other than metadata/spec in _defaults.yaml is an error', async () => {
    const r = await load({ '_defaults.yaml': 'spec: {}\nstatus: {}\n', 'a.yaml': agent('a') });
    expect(r.errors).toEqual([
      'specs/_defaults.yaml:2:1: status: unknown field (defaults and overlays hold metadata and spec)',
    ]);
  });

  it('a value from _defaults.yaml that a spec overrides is not an error', async () => {
    const r = await load({
      '_defaults.yaml': 'spec:\n  workdir: /srv/agents\n',
      'a.yaml': agent('a', '  workdir: ~/a\n'),
    });
    expect(r.errors).toEqual([]);
    expect(r.set.agents.get('a')?.spec.workdir).toBe('~/a');
  });

  it("an error from this host's overlay is reported in the overlay and isolates that agent alone", async () => {
    const r = await load({
      '_overlays/testhost/a.yaml': 'spec:\n  env:\n    X: [1]\n  workdirr: /x\n',
      '_overlays/otherhost/b.yaml': 'spec: {bogus: 1}\n',
      'a.yaml': agent('a'),
      'b.yaml': agent('b'),
    });
    expect(r.errors).toEqual([
      'specs/_overlays/testhost/a.yaml:3:8: spec.env.X: expected a string, number or boolean',
      'specs/_overlays/testhost/a.yaml:4:3: spec.workdirr: unknown field',
    ]);
    expect(r.invalid).toEqual(['specs/_overlays/testhost/a.yaml', 'specs/a.yaml']);
    // The other host's broken overlay is not read here.
    expect(r.agents).toEqual(['b']);
  });

  it('an overlay for another host is an error when loaded as that host', async () => {
    const r = await load({ '_overlays/otherhost/b.yaml': 'spec: {bogus: 1}\n', 'b.yaml': agent('b') }, 'otherhost');
    expect(r.errors).toEqual(['specs/_overlays/otherhost/b.yaml:1:8: spec.bogus: unknown field']);
  });

  it('a multi-document file: an error in one document names its line, and isolates the whole file', async () => {
    const r = await load({
      'm.yaml': `${agent('a')}---\n${agent('b', '  state: Sleeping\n')}---\n${agent('c')}---\n`,
      'z.yaml': agent('z'),
    });
    expect(r.errors).toEqual(['specs/m.yaml:14:10: spec.state: expected one of "Running"|"Stopped"']);
    expect(r.agents).toEqual(['z']);
    expect([...r.set.invalidNames.keys()].sort()).toEqual(['a', 'b', 'c']);
  });

  it('a valid multi-document file yields every agent, with its own start line; a trailing --- is no agent', async () => {
    const r = await load({ 'm.yaml': `${agent('a')}---\n${agent('b')}---\n` });
    expect(r.errors).toEqual([]);
    expect(r.agents).toEqual(['a', 'b']);
    expect(r.set.agents.get('b')?.line).toBe(8);
  });

  it('files and folders named _* or .* are skipped, and so are non-YAML files; *.yml counts', async () => {
    const r = await load({
      '_notes.yaml': 'garbage: [',
      '.hidden.yaml': 'garbage: [',
      '_drafts/z.yaml': 'garbage: [',
      '.git/y.yaml': 'garbage: [',
      'sub/.x.yml': 'garbage: [',
      'README.txt': 'garbage: [',
      'a.yaml': agent('a'),
      'deep/er/b.yml': agent('b'),
    });
    expect(r.errors).toEqual([]);
    expect(r.agents).toEqual(['a', 'b']);
    expect(r.set.fileCount).toBe(2);
  });

  it('a symlink to a file outside the folder is not followed', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'agentctl-outside-'));
    dirs.push(outside);
    writeFileSync(join(outside, 'evil.yaml'), agent('evil'));
    const r = await load({ 'a.yaml': agent('a') });
    symlinkSync(join(outside, 'evil.yaml'), join(r.set.specsDir, 'evil.yaml'));
    const again = await loadSpecs({ specsDir: r.set.specsDir, host: 'testhost', home: '/home/test' });
    expect([...again.agents.keys()]).toEqual(['a']);
  });

  it('a broken file does not hide the valid files beside it', async () => {
    const r = await load({ 'a.yaml': agent('a'), 'b.yaml': `${agent('b')}\tbroken: [\n`, 'c.yaml': agent('c') });
    expect(r.agents).toEqual(['a', 'c']);
    expect(r.invalid).toEqual(['specs/b.yaml']);
    expect(r.errors).toEqual([
      'specs/b.yaml:7:1: YAML: Tabs are not allowed as indentation',
      'specs/b.yaml:8:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('the agents of a file that does not parse are still known by name (as invalid), as far as they can be read', async () => {
    const r = await load({
      'a.yaml': agent('a'),
      'b.yaml': `${agent('b')}---\n${agent('c').replace("'60']", "'60'")}`,
    });
    expect(r.agents).toEqual(['a']);
    expect(r.errors.every((e) => e.startsWith('specs/b.yaml:'))).toBe(true);
    expect(r.errors.length).toBeGreaterThan(0);
    expect(Object.fromEntries(r.set.invalidNames)).toEqual({
      b: join(r.set.specsDir, 'b.yaml'),
      c: join(r.set.specsDir, 'b.yaml'),
    });
  });

  it('a broken copy of a name that is valid elsewhere does not make the valid one invalid', async () => {
    const r = await load({ 'a.yaml': agent('a'), 'old.yaml': `${agent('a')}\tx: [\n` });
    expect(r.agents).toEqual(['a']);
    expect(r.set.invalidNames.has('a')).toBe(false);
  });

  it('a missing folder loads as missing, with no errors and no agents', async () => {
    const set = await loadSpecs({ specsDir: join(tmpdir(), 'agentctl-no-such-folder-x9'), host: 'h', home: '/h' });
    expect({ exists: set.exists, agents: set.agents.size, errors: set.errors }).toEqual({
      exists: false,
      agents: 0,
      errors: [],
    });
  });
});
