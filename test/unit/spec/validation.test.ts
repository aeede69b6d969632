// Validation of values that would reach a timer, a file system or a batch script altered: a table of
// specs and the exact located errors they must give (durations, NUL, bad Unicode, file names, Slurm fields).
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/spec/assemble.js';
import { formatSpecError } from '../../../src/spec/errors.js';
import { parseYaml } from '../../../src/spec/yaml-source.js';

const HEAD = (name: string): string => `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: ${name}\nspec:\n`;
/** A valid agent: `command` on line 6; extra spec lines start at line 7. */
const agent = (name: string, extra = ''): string => `${HEAD(name)}  command: [sleep, '60']\n${extra}`;
const errorsOf = (text: string): string[] =>
  assemble({ files: [parseYaml('specs/x.yaml', text)], overlays: new Map() }).errors.map(formatSpecError);

const TOO_LONG = 'at most 2147483 seconds (about 24 days): a longer delay cannot be timed';

describe('durations are capped at 2^31 ms', () => {
  it.each([
    {
      case: 'hook exec timeoutSeconds',
      extra: '  hooks:\n    preStart: [{exec: [x], timeoutSeconds: 1e10}]\n',
      errors: [`specs/x.yaml:8:44: spec.hooks.preStart[0].timeoutSeconds: ${TOO_LONG}`],
    },
    {
      case: 'hook shell timeoutSeconds',
      extra: '  hooks:\n    postStop:\n      - {shell: "echo", timeoutSeconds: 3000000}\n',
      errors: [`specs/x.yaml:9:41: spec.hooks.postStop[0].timeoutSeconds: ${TOO_LONG}`],
    },
    {
      case: 'hook url timeoutSeconds',
      extra: '  hooks:\n    onCompact: [{url: "https://h/x", timeoutSeconds: 1e10}]\n',
      errors: [`specs/x.yaml:8:54: spec.hooks.onCompact[0].timeoutSeconds: ${TOO_LONG}`],
    },
    {
      case: 'healthCheck.periodSeconds',
      extra: '  healthCheck: {exec: [x], periodSeconds: 1e10}\n',
      errors: [`specs/x.yaml:7:43: spec.healthCheck.periodSeconds: ${TOO_LONG}`],
    },
    {
      case: 'healthCheck.timeoutSeconds',
      extra: '  healthCheck: {exec: [x], timeoutSeconds: 2147484}\n',
      errors: [`specs/x.yaml:7:44: spec.healthCheck.timeoutSeconds: ${TOO_LONG}`],
    },
    {
      case: 'healthCheck.initialDelaySeconds',
      extra: '  healthCheck: {exec: [x], initialDelaySeconds: 1e12}\n',
      errors: [`specs/x.yaml:7:49: spec.healthCheck.initialDelaySeconds: ${TOO_LONG}`],
    },
    {
      case: 'backoff (each field)',
      extra: '  backoff: {initialSeconds: 1e10, maxSeconds: 1e11, resetAfterSeconds: 1e12}\n',
      errors: [
        `specs/x.yaml:7:29: spec.backoff.initialSeconds: ${TOO_LONG}`,
        `specs/x.yaml:7:47: spec.backoff.maxSeconds: ${TOO_LONG}`,
        `specs/x.yaml:7:72: spec.backoff.resetAfterSeconds: ${TOO_LONG}`,
      ],
    },
    {
      case: 'stopGracePeriodSeconds',
      extra: '  stopGracePeriodSeconds: 1e10\n',
      errors: [`specs/x.yaml:7:27: spec.stopGracePeriodSeconds: ${TOO_LONG}`],
    },
    {
      case: 'startup timeout and command delay',
      extra: '  startup: {timeoutSeconds: 1e10, commands: [{text: x, delaySeconds: 1e10}]}\n',
      errors: [
        `specs/x.yaml:7:29: spec.startup.timeoutSeconds: ${TOO_LONG}`,
        `specs/x.yaml:7:70: spec.startup.commands[0].delaySeconds: ${TOO_LONG}`,
      ],
    },
    {
      case: 'slurm.walltimeRollover',
      extra: '  runtime: slurm\n  slurm: {walltimeRollover: 30d}\n',
      errors: ['specs/x.yaml:8:29: spec.slurm.walltimeRollover: at most about 24 days: a longer delay cannot be timed'],
    },
    {
      case: 'the largest allowed value passes',
      extra: '  stopGracePeriodSeconds: 2147483\n  healthCheck: {exec: [x], periodSeconds: 2147483}\n',
      errors: [],
    },
  ])('$case', ({ extra, errors }) => {
    expect(errorsOf(agent('a', extra))).toEqual(errors);
  });

  it('claude.context.checkIntervalSeconds', () => {
    expect(errorsOf(`${HEAD('a')}  claude: {context: {checkIntervalSeconds: 1e10}}\n`)).toEqual([
      `specs/x.yaml:6:44: spec.claude.context.checkIntervalSeconds: ${TOO_LONG}`,
    ]);
  });
});

describe('strings are exactly what the file says', () => {
  it.each([
    {
      case: 'NUL in an argv element',
      extra: '',
      text: `${HEAD('a')}  command: [sh, "-c", "echo a\\0b"]\n`,
      errors: ['specs/x.yaml:6:23: spec.command[2]: must not contain a NUL character'],
    },
    {
      case: 'NUL in an env value',
      extra: '  env: {A: "x\\0"}\n',
      errors: ['specs/x.yaml:7:12: spec.env.A: must not contain a NUL character'],
    },
    {
      case: 'NUL in a key',
      extra: '  extensions: {"k\\0": 1}\n',
      errors: ['specs/x.yaml:7:16: spec.extensions["k\\u0000"]: must not contain a NUL character'],
    },
    {
      case: 'NUL in a file content',
      extra: '  files: {a.txt: "x\\0y"}\n',
      errors: ['specs/x.yaml:7:18: spec.files["a.txt"]: must not contain a NUL character'],
    },
    {
      case: 'a lone surrogate',
      extra: '  env: {A: "\\uD800x"}\n',
      errors: ['specs/x.yaml:7:12: spec.env.A: is not valid Unicode (a lone UTF-16 surrogate)'],
    },
    { case: 'a surrogate pair (a valid emoji) passes', extra: '  env: {A: "\\uD83D\\uDE00"}\n', errors: [] },
  ])('$case', ({ text, extra, errors }) => {
    expect(errorsOf(text ?? agent('a', extra))).toEqual(errors);
  });

  it('a file with a NUL keeps its agent known by name (isolated, never pruned)', () => {
    const r = assemble({ files: [parseYaml('specs/x.yaml', agent('a', '  env: {A: "x\\0"}\n'))], overlays: new Map() });
    expect(r.agents.size).toBe(0);
    expect([...r.invalidNames.keys()]).toEqual(['a']);
  });
});

describe('spec.files names a file inside the workdir', () => {
  const FILE_NAME = 'file path must name a file inside the workdir (no empty, "." or ".." parts)';
  it.each([
    { case: '"."', key: '"."', errors: [`specs/x.yaml:8:5: spec.files["."]: ${FILE_NAME}`] },
    { case: '"./"', key: '"./"', errors: [`specs/x.yaml:8:5: spec.files["./"]: ${FILE_NAME}`] },
    { case: 'a trailing slash', key: 'sub/', errors: [`specs/x.yaml:8:5: spec.files["sub/"]: ${FILE_NAME}`] },
    { case: 'an empty part', key: 'a//b', errors: [`specs/x.yaml:8:5: spec.files["a//b"]: ${FILE_NAME}`] },
    { case: 'a "." part', key: 'a/./b', errors: [`specs/x.yaml:8:5: spec.files["a/./b"]: ${FILE_NAME}`] },
    {
      case: 'a newline',
      key: '"a\\nb"',
      errors: ['specs/x.yaml:8:5: spec.files["a\\nb"]: file path must not contain control characters'],
    },
    {
      case: 'a part over 255 bytes',
      key: 'x'.repeat(256),
      errors: [`specs/x.yaml:8:5: spec.files.${'x'.repeat(256)}: file path parts are at most 255 bytes`],
    },
    { case: 'a plain nested name passes', key: 'a/b.txt', errors: [] },
  ])('$case', ({ key, errors }) => {
    expect(errorsOf(agent('a', `  files:\n    ${key}: content\n`))).toEqual(errors);
  });
});

describe('workdirs are never under /proc, /sys or /dev', () => {
  const WHERE = 'must not be under /proc, /sys or /dev (kernel file systems; /dev/shm is allowed)';
  it.each([
    { workdir: '/proc/1/x', errors: [`specs/x.yaml:7:12: spec.workdir: ${WHERE}`] },
    { workdir: '/sys', errors: [`specs/x.yaml:7:12: spec.workdir: ${WHERE}`] },
    { workdir: '/dev/x', errors: [`specs/x.yaml:7:12: spec.workdir: ${WHERE}`] },
    { workdir: '//proc/1', errors: [`specs/x.yaml:7:12: spec.workdir: ${WHERE}`] },
    { workdir: '/tmp/../proc/self', errors: [`specs/x.yaml:7:12: spec.workdir: ${WHERE}`] },
    { workdir: '/dev/shm/agent', errors: [] },
    { workdir: '/procfs/x', errors: [] },
    { workdir: '"/tmp/a\\nb"', errors: ['specs/x.yaml:7:12: spec.workdir: must not contain control characters'] },
  ])('$workdir', ({ workdir, errors }) => {
    expect(errorsOf(agent('a', `  workdir: ${workdir}\n`))).toEqual(errors);
  });

  it('slurm.logsDir too', () => {
    expect(errorsOf(agent('a', '  runtime: slurm\n  slurm: {logsDir: /proc/x}\n'))).toEqual([
      `specs/x.yaml:8:20: spec.slurm.logsDir: ${WHERE}`,
    ]);
  });
});

describe('Slurm fields are one word without control characters', () => {
  const CONTROL = 'must not contain control characters (newline, tab, ...)';
  it.each([
    {
      field: 'partition',
      value: '"debug\\n#SBATCH --x"',
      errors: [`specs/x.yaml:8:22: spec.slurm.partition: ${CONTROL}`],
    },
    { field: 'account', value: '"a\\tb"', errors: [`specs/x.yaml:8:20: spec.slurm.account: ${CONTROL}`] },
    { field: 'qos', value: '"a\\rb"', errors: [`specs/x.yaml:8:16: spec.slurm.qos: ${CONTROL}`] },
    { field: 'reservation', value: '"r\\n"', errors: [`specs/x.yaml:8:24: spec.slurm.reservation: ${CONTROL}`] },
    { field: 'gres', value: '"gpu:1\\n"', errors: [`specs/x.yaml:8:17: spec.slurm.gres: ${CONTROL}`] },
    { field: 'allocation', value: '"a\\u0007"', errors: [`specs/x.yaml:8:23: spec.slurm.allocation: ${CONTROL}`] },
    {
      field: 'partition',
      value: '"de bug"',
      errors: ['specs/x.yaml:8:22: spec.slurm.partition: must not contain spaces, quotes or backslashes'],
    },
    { field: 'partition', value: 'debug', errors: [] },
  ])('$field: $value', ({ field, value, errors }) => {
    expect(errorsOf(agent('a', `  runtime: slurm\n  slurm: {${field}: ${value}}\n`))).toEqual(errors);
  });

  it('extraDirectives', () => {
    expect(
      errorsOf(agent('a', '  runtime: slurm\n  slurm: {extraDirectives: ["--constraint=a100", "--x=1\\nrm -rf /"]}\n')),
    ).toEqual([`specs/x.yaml:8:50: spec.slurm.extraDirectives[1]: ${CONTROL}`]);
  });
});
