// agentctl import's converter: each sample of the old formats against its expected output, every
// output against the real schema, and the mapping rules one by one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { convertOldSpecs } from '../../src/import/convert.js';
import { ensureValid } from '../../src/import/ensure-valid.js';
import { ImportFormatError } from '../../src/import/errors.js';
import { sanitiseName } from '../../src/import/map-metadata.js';
import { Notes } from '../../src/import/notes.js';
import { seconds } from '../../src/import/values.js';
import { AgentDocument } from '../../src/spec/schema.js';
import { ROOT } from '../helpers/cli.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'import');
const SAMPLES = readdirSync(FIXTURES).filter((f) => f.endsWith('.expected.yaml')).map((f) => f.replace('.expected.yaml', ''));

function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Every document of a converted output, parsed and checked by the schema the loader uses. */
function validate(yamlText: string): AgentDocument[] {
  return parseAllDocuments(yamlText).map((d) => {
    expect(d.errors).toEqual([]);
    const checked = AgentDocument.safeParse(d.toJS());
    if (!checked.success) throw new Error(`does not validate: ${JSON.stringify(checked.error.issues)}\n${yamlText}`);
    return checked.data;
  });
}

/** A spec of the old format with the given `spec` section. */
function old(spec: Record<string, unknown>, name = 'sample'): string {
  return JSON.stringify({ apiVersion: 'cld-agent/v1', kind: 'Agent', metadata: { name }, spec });
}

function convertOne(spec: Record<string, unknown>, name = 'sample'): { yaml: string; doc: AgentDocument } {
  const { yaml } = convertOldSpecs(old(spec, name), 'sample.yaml');
  const [doc] = validate(yaml);
  return { yaml, doc: doc! };
}

describe('import: sample files', () => {
  it('has samples of both old formats', () => {
    expect(SAMPLES.length).toBeGreaterThanOrEqual(3);
    const apiVersions = SAMPLES.map((s) => fixture(`${s}.yaml`).match(/^apiVersion: (.*)$/m)?.[1]);
    expect(new Set(apiVersions)).toEqual(new Set(['cld-agent/v1', 'scitex-agent-container/v2']));
  });

  for (const sample of SAMPLES) {
    it(`converts ${sample}.yaml to the expected output, which validates`, () => {
      const { yaml } = convertOldSpecs(fixture(`${sample}.yaml`), `${sample}.yaml`);
      expect(yaml).toBe(fixture(`${sample}.expected.yaml`));
      expect(validate(yaml).length).toBeGreaterThan(0);
    });
  }

  it('keeps every mapped field of the full cld-agent sample', () => {
    const [doc] = validate(convertOldSpecs(fixture('cld-researcher.yaml'), 'cld-researcher.yaml').yaml);
    expect(doc?.spec).toMatchObject({
      runtime: 'tmux',
      claude: { model: 'opus', session: 'continue', flags: ['--dangerously-skip-permissions', '--verbose'], channels: ['plugin:telegram@claude-plugins-official'] },
      workdir: '~/agents/researcher',
      env: { LOG_LEVEL: 'info', MAX_TURNS: '40' },
      restartPolicy: 'OnFailure',
      backoff: { initialSeconds: 15, maxSeconds: 600 },
      healthCheck: { exec: ['curl', '-fsS', 'http://127.0.0.1:8080/health'], periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3, initialDelaySeconds: 60 },
      hooks: {
        preStart: ['git -C ~/agents/researcher pull --ff-only', { shell: './prepare.sh', timeoutSeconds: 120 }],
        postStart: ['curl -fsS -X POST http://127.0.0.1:9000/started'],
        preStop: [{ exec: ['/usr/local/bin/notify', 'stopping'], timeoutSeconds: 10 }],
        postStop: [{ url: 'https://hooks.example.org/agents/researcher', timeoutSeconds: 3 }],
      },
    });
    expect(doc?.metadata.labels).toEqual({ team: 'lab', tier: '1' });
  });

  it('converts several documents of one file, separated by ---', () => {
    const { yaml, names } = convertOldSpecs(fixture('scitex-fleet.yaml'), 'scitex-fleet.yaml');
    expect(names).toEqual(['orchestrator-main', 'notes-keeper']);
    expect(yaml.match(/^---$/gm)).toHaveLength(1);
    expect(validate(yaml).map((d) => d.metadata.name)).toEqual(names);
  });

  it('refuses a file that is not of an old format, naming it', () => {
    expect(() => convertOldSpecs(fixture('not-old.yaml'), 'specs/not-old.yaml')).toThrow(ImportFormatError);
    expect(() => convertOldSpecs(fixture('not-old.yaml'), 'specs/not-old.yaml')).toThrow(/^specs\/not-old\.yaml: apiVersion "agentctl\/v1" .*already an agentctl spec/);
    expect(() => convertOldSpecs(fixture('broken.yaml'), 'broken.yaml')).toThrow(/^broken\.yaml: line 3:1: YAML/);
    expect(() => convertOldSpecs('', 'empty.yaml')).toThrow(/^empty\.yaml: holds no YAML documents/);
    expect(() => convertOldSpecs('- a\n- b\n', 'list.yaml')).toThrow(/^list\.yaml: not a YAML map/);
    expect(() => convertOldSpecs('apiVersion: cld-agent/v1\nkind: Fleet\n', 'fleet.yaml')).toThrow(/kind "Fleet" is not an agent/);
  });

  it('refuses a file whose second document is not of an old format, naming the document', () => {
    const mixed = `${old({ model: 'opus' })}\n---\n${fixture('not-old.yaml')}`;
    expect(() => convertOldSpecs(mixed, 'mixed.yaml')).toThrow(/^mixed\.yaml: document 2, line 3: apiVersion/);
  });
});

describe('import: mapping rules', () => {
  it('maps restart policies', () => {
    const cases: [string, string][] = [
      ['always', 'Always'],
      ['on-failure', 'OnFailure'],
      ['on_failure', 'OnFailure'],
      ['never', 'Never'],
      ['Always', 'Always'],
    ];
    for (const [from, to] of cases) expect(convertOne({ restart: { policy: from } }).doc.spec.restartPolicy).toBe(to);
    expect(convertOne({ restart: 'never' }).doc.spec.restartPolicy).toBe('Never');
  });

  it('maps claude sessions, and resume only with an id', () => {
    expect(convertOne({ claude: { session: 'new' } }).doc.spec.claude?.session).toBe('new');
    expect(convertOne({ claude: { session: 'continue-or-new' } }).doc.spec.claude?.session).toBe('continue-or-new');
    expect(convertOne({ claude: { resume_id: 'abc' } }).doc.spec.claude).toMatchObject({ session: 'resume', resumeId: 'abc' });
    const noId = convertOne({ claude: { session: 'resume' } });
    expect(noId.doc.spec.claude?.session).toBe('new');
    expect(noId.yaml).toContain('# session resume without resume_id: starts a new session instead');
  });

  it('emits the claude preset when the old spec says nothing about the program', () => {
    expect(convertOne({}).doc.spec.claude).toMatchObject({ session: 'new' });
  });

  it('sanitises names to the agent name pattern, with a comment', () => {
    expect(sanitiseName('Research_Bot')).toBe('research-bot');
    expect(sanitiseName('--x--')).toBe('x');
    expect(sanitiseName('a'.repeat(70))).toBe('a'.repeat(63));
    expect(sanitiseName('___')).toBe('agent');
    const { yaml, doc } = convertOne({}, 'My Agent!');
    expect(doc.metadata.name).toBe('my-agent');
    expect(yaml).toMatch(/# metadata.name "My Agent!" is not a valid agent name: renamed to my-agent\n\s+name: my-agent/);
  });

  it('names an agent without a name after its file', () => {
    const { yaml } = convertOldSpecs('apiVersion: cld-agent/v1\nspec: {model: opus}\n', '/x/Night_Watch.yml');
    expect(validate(yaml)[0]?.metadata.name).toBe('night-watch');
    expect(yaml).toContain('# metadata.name is missing: named after the file (night-watch)');
  });

  it('reads durations as seconds: numbers, numeric strings and units', () => {
    expect(seconds(15)).toBe(15);
    expect(seconds('15')).toBe(15);
    expect(seconds('500ms')).toBe(0.5);
    expect(seconds('2m')).toBe(120);
    expect(seconds('1h')).toBe(3600);
    expect(seconds('soon')).toBeUndefined();
    expect(seconds(0)).toBeUndefined();
    expect(seconds(-1)).toBeUndefined();
  });

  it('turns a health command string into an explicit sh -c', () => {
    const { yaml, doc } = convertOne({ health: { command: 'pgrep -f worker', retries: '2' } });
    expect(doc.spec.healthCheck).toMatchObject({ exec: ['sh', '-c', 'pgrep -f worker'], failureThreshold: 2 });
    expect(yaml).toContain('# the health command was a shell string: it runs through sh -c');
  });

  it('prefers the command of a health check that has both, with a comment', () => {
    const { yaml, doc } = convertOne({ health: { command: ['true'], url: 'http://x/' } });
    expect(doc.spec.healthCheck?.exec).toEqual(['true']);
    expect(doc.spec.healthCheck?.http).toBeUndefined();
    expect(yaml).toContain('# not mapped: spec.health.url: "http://x/" (a health check is a command or a URL, and the command wins)');
  });

  it('normalises Slurm memory and checks the time limit', () => {
    expect(convertOne({ slurm: { mem: '4gb' } }).doc.spec.slurm?.memory).toBe('4G');
    expect(convertOne({ slurm: { mem: 2048 } }).doc.spec.slurm?.memory).toBe('2048');
    expect(convertOne({ slurm: { time_limit: '04:00:00', cpus_per_task: '4' } }).doc.spec.slurm).toEqual({ timeLimit: '04:00:00', cpusPerTask: 4 });
    const bad = convertOne({ slurm: { cpus_per_task: 0 } });
    expect(bad.doc.spec.slurm).toBeUndefined();
    expect(bad.yaml).toContain('# not mapped: spec.slurm.cpus_per_task: 0');
  });

  it('keeps the backoff valid when only one bound is given', () => {
    expect(convertOne({ restart: { backoff: { max: 5 } } }).doc.spec.backoff).toMatchObject({ initialSeconds: 5, maxSeconds: 5 });
    expect(convertOne({ restart: { backoff: 900 } }).doc.spec.backoff).toMatchObject({ initialSeconds: 900, maxSeconds: 900 });
    expect(convertOne({ restart: { backoff: { initial: '20s', max: 10 } } }).doc.spec.backoff).toMatchObject({ initialSeconds: 20, maxSeconds: 20 });
  });

  it('maps each hook form and comments out what is not one', () => {
    const { yaml, doc } = convertOne({
      hooks: { pre_start: 'make setup', post_stop: [{ shell: 'echo bye', timeout: '1m' }, { argv: ['logger', 'stopped'] }, 42, { url: 'https://h.example/x', timeout: 1 }] },
    });
    expect(doc.spec.hooks).toEqual({
      preStart: ['make setup'],
      postStop: [{ shell: 'echo bye', timeoutSeconds: 60 }, { exec: ['logger', 'stopped'] }, { url: 'https://h.example/x', timeoutSeconds: 1 }],
    });
    expect(yaml).toContain('# not mapped: spec.hooks.post_stop[2]: 42 (a hook is a command string, {command}, {exec} or {url})');
  });

  it('writes every field it cannot map as a comment, and never repeats a secret-looking value', () => {
    const { yaml } = convertOne({ model: 'opus', gpu: true, db_password: 'hunter2-long', nested: { token: 'x' }, env: { 'not ok': 'v' } });
    expect(yaml).toContain('# not mapped: spec.gpu: true');
    expect(yaml).toContain('# not mapped: spec.db_password: <redacted>');
    expect(yaml).toContain('# not mapped: spec.nested: {"token":"x"}');
    expect(yaml).toContain('# not mapped: spec.env.not ok: "v" (not a valid variable name)');
    expect(yaml).not.toContain('hunter2-long');
  });

  it('maps $HOME workdirs to ~ and refuses relative ones', () => {
    expect(convertOne({ workdir: '${HOME}/w' }).doc.spec.workdir).toBe('~/w');
    const rel = convertOne({ workdir: 'w' });
    expect(rel.doc.spec.workdir).toBeUndefined();
    expect(rel.yaml).toContain('# not mapped: spec.workdir: "w" (must be absolute or start with ~/)');
  });

  it('drops and notes a field the schema still refuses, so output always validates', () => {
    const notes = new Notes();
    const doc = ensureValid(
      { apiVersion: 'agentctl/v1', kind: 'Agent', metadata: { name: 'x' }, spec: { claude: {}, backoff: { initialSeconds: 50, maxSeconds: 5 } } },
      notes,
    );
    expect(doc.spec.backoff).toBeUndefined();
    expect(AgentDocument.safeParse(doc).success).toBe(true);
    expect(notes.items[0]?.text).toMatch(/^dropped spec.backoff: spec.backoff: maxSeconds must be at least initialSeconds/);
  });
});
