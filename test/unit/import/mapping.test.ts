// agentctl import's mapping rules for the process: restart, health, hooks, slurm, env, workdir.
import { describe, expect, it } from 'vitest';
import { ensureValid } from '../../../src/import/ensure-valid.js';
import { Notes } from '../../../src/import/notes.js';
import { seconds } from '../../../src/import/values.js';
import { AgentDocument } from '../../../src/spec/schema.js';
import { convertOne } from '../../helpers/import.js';

describe('import: restart', () => {
  it.each([
    [{ policy: 'always' }, 'Always'],
    [{ policy: 'on-failure' }, 'OnFailure'],
    [{ policy: 'on_failure' }, 'OnFailure'],
    [{ policy: 'never' }, 'Never'],
    [{ policy: 'Always' }, 'Always'],
    ['never', 'Never'],
    // The older tool's default policy was never, with or without a restart section.
    [undefined, 'Never'],
    [{ backoff: { initial: 5 } }, 'Never'],
  ])('%j → %s', (restart, policy) => {
    expect(convertOne(restart === undefined ? {} : { restart }).doc.spec.restartPolicy).toBe(policy);
  });

  it.each([
    [{ policy: 'always', max_retries: 3 }, 3],
    [{ policy: 'always', max_restarts: '0' }, 0],
    [{ policy: 'always', max_retries: 2, backoff: { initial: 5 } }, 2],
  ])('%j: the retry limit becomes backoff.maxRetries %i', (restart, n) => {
    expect(convertOne({ restart }).doc.spec.backoff?.maxRetries).toBe(n);
  });

  it('keeps the backoff valid when only one bound is given', () => {
    expect(convertOne({ restart: { backoff: { max: 5 } } }).doc.spec.backoff).toMatchObject({
      initialSeconds: 5,
      maxSeconds: 5,
    });
    expect(convertOne({ restart: { backoff: 900 } }).doc.spec.backoff).toMatchObject({
      initialSeconds: 900,
      maxSeconds: 900,
    });
    expect(convertOne({ restart: { backoff: { initial: '20s', max: 10 } } }).doc.spec.backoff).toMatchObject({
      initialSeconds: 20,
      maxSeconds: 20,
    });
  });

  it('reads durations as seconds: numbers, numeric strings and units', () => {
    expect([seconds(15), seconds('15'), seconds('500ms'), seconds('2m'), seconds('1h')]).toEqual([
      15, 15, 0.5, 120, 3600,
    ]);
    expect([seconds('soon'), seconds(0), seconds(-1)]).toEqual([undefined, undefined, undefined]);
  });
});

describe('import: health', () => {
  it.each([
    { health: { enabled: true, interval: 30, method: 'multiplexer-alive' }, note: 'health was multiplexer-alive' },
    { health: { enabled: true, method: 'screen-alive' }, note: 'health was multiplexer-alive' },
    // The older default method: no method and no command is multiplexer-alive too.
    { health: { enabled: true, interval: 60 }, note: 'health was multiplexer-alive' },
    { health: { enabled: false, command: 'true' }, note: undefined },
    {
      health: { method: 'tcp-probe' },
      note: 'not mapped: spec.health: {"method":"tcp-probe"} (neither a command nor a URL to check)',
    },
  ])('$health: no health check', ({ health, note }) => {
    const { yaml, doc } = convertOne({ health });
    expect(doc.spec.healthCheck).toBeUndefined();
    if (note) expect(yaml).toContain(note);
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
    expect(yaml).toContain(
      '# not mapped: spec.health.url: "http://x/" (a health check is a command or a URL, and the command wins)',
    );
  });
});

describe('import: hooks', () => {
  it('maps each hook form; a URL string is a webhook, never a shell command', () => {
    const { yaml, doc } = convertOne({
      hooks: {
        pre_start: ['make setup', 'https://hooks.example.org/pre', ' http://10.0.0.1:8080/x '],
        post_stop: [
          { shell: 'echo bye', timeout: '1m' },
          { argv: ['logger', 'stopped'] },
          42,
          { url: 'https://h.example/x', timeout: 1 },
        ],
        on_compact: 'https://hooks.example.org/compacted',
        on_restart: ['echo restarted'],
        pre_stop: null,
      },
    });
    expect(doc.spec.hooks).toEqual({
      preStart: ['make setup', { url: 'https://hooks.example.org/pre' }, { url: 'http://10.0.0.1:8080/x' }],
      postStop: [
        { shell: 'echo bye', timeoutSeconds: 60 },
        { exec: ['logger', 'stopped'] },
        { url: 'https://h.example/x', timeoutSeconds: 1 },
      ],
      onCompact: [{ url: 'https://hooks.example.org/compacted' }],
      onRestart: ['echo restarted'],
    });
    expect(yaml).toContain(
      '# not mapped: spec.hooks.post_stop[2]: 42 (a hook is a command string, {command}, {exec} or {url})',
    );
  });

  it('a string that only starts like a URL stays a shell command', () => {
    expect(
      convertOne({ hooks: { pre_start: ['https://x.example/a && rm -rf /tmp/x'] } }).doc.spec.hooks?.preStart,
    ).toEqual(['https://x.example/a && rm -rf /tmp/x']);
  });
});

describe('import: slurm', () => {
  const slurm = (s: Record<string, unknown>) => convertOne({ runtime: 'slurm', slurm: s });

  it('normalises memory, checks the time limit, maps logs_dir and the directives agentctl has no field for', () => {
    expect(slurm({ mem: '4gb' }).doc.spec.slurm?.memory).toBe('4G');
    expect(slurm({ mem: 2048 }).doc.spec.slurm?.memory).toBe('2048');
    expect(slurm({ time_limit: '04:00:00', cpus_per_task: '4' }).doc.spec.slurm).toEqual({
      timeLimit: '04:00:00',
      cpusPerTask: 4,
    });
    expect(
      slurm({ logs_dir: '~/slurm_logs', nodes: 2, ntasks: 4, extra_directives: ['--exclusive'] }).doc.spec.slurm,
    ).toEqual({
      logsDir: '~/slurm_logs',
      extraDirectives: ['--nodes=2', '--ntasks=4', '--exclusive'],
    });
    const rel = slurm({ logs_dir: 'logs' });
    expect(rel.doc.spec.slurm).toBeUndefined();
    expect(rel.yaml).toContain('# not mapped: spec.slurm.logs_dir: "logs" (must be absolute or start with ~/)');
    const bad = slurm({ cpus_per_task: 0 });
    expect(bad.doc.spec.slurm).toBeUndefined();
    expect(bad.yaml).toContain('# not mapped: spec.slurm.cpus_per_task: 0');
  });

  it('a slurm section without the slurm runtime is not used', () => {
    const { yaml, doc } = convertOne({ slurm: { partition: 'gpu' } });
    expect(doc.spec.slurm).toBeUndefined();
    expect(yaml).toContain('(only the slurm runtime used it)');
  });
});

describe('import: process', () => {
  it('maps $HOME workdirs to ~ and refuses relative ones', () => {
    expect(convertOne({ workdir: '${HOME}/w' }).doc.spec.workdir).toBe('~/w');
    const rel = convertOne({ workdir: 'w' });
    expect(rel.doc.spec.workdir).toBeUndefined();
    expect(rel.yaml).toContain('# not mapped: spec.workdir: "w" (must be absolute or start with ~/)');
  });

  it.each([
    { spec: { 'env-file': '/etc/a.env' }, envFiles: ['/etc/a.env'] },
    { spec: { 'env-file': ['~/a.env', 'b.env'], workdir: '/srv/w' }, envFiles: ['~/a.env', '/srv/w/b.env'] },
    { spec: { 'env-file': ['../shared.env'], workdir: '~/agents/x' }, envFiles: ['~/agents/shared.env'] },
    { spec: { 'env-file': 'b.env' }, envFiles: undefined },
  ])('env-file $spec → $envFiles', ({ spec, envFiles }) => {
    expect(convertOne(spec).doc.spec.envFiles).toEqual(envFiles ?? []);
  });

  it('writes every field it cannot map as a comment, and never repeats a secret-looking value', () => {
    const { yaml } = convertOne({
      model: 'opus',
      gpu: true,
      db_password: 'hunter2-long',
      nested: { token: 'x' },
      env: { 'not ok': 'v' },
    });
    expect(yaml).toContain('# not mapped: spec.gpu: true');
    expect(yaml).toContain('# not mapped: spec.db_password: <redacted>');
    expect(yaml).toContain('# not mapped: spec.nested: {"token":"x"}');
    expect(yaml).toContain('# not mapped: spec.env.not ok: "v" (not a valid variable name)');
    expect(yaml).not.toContain('hunter2-long');
  });

  it('drops and notes a field the schema still refuses, so output always validates', () => {
    const notes = new Notes();
    const doc = ensureValid(
      {
        apiVersion: 'agentctl/v1',
        kind: 'Agent',
        metadata: { name: 'x' },
        spec: { claude: {}, backoff: { initialSeconds: 50, maxSeconds: 5 } },
      },
      notes,
    );
    expect(doc.spec.backoff).toBeUndefined();
    expect(AgentDocument.safeParse(doc).success).toBe(true);
    expect(notes.items[0]?.text).toMatch(
      /^dropped spec.backoff: spec.backoff: maxSeconds must be at least initialSeconds/,
    );
  });
});
