// Slurm batch script and sbatch argv rendering, option by option; the script run by a real sh.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  directives,
  jobComment,
  jobName,
  parseJobId,
  renderScript,
  sbatchArgs,
  ScriptError,
  slurmFilename,
  type SubmitInput,
} from '../../../../src/runtime/slurm/script.js';
import { shQuote } from '../../../../src/exec/shell-quote.js';
import type { SlurmSpec } from '../../../../src/spec/schema.js';
import { removeTree } from '../../../helpers/remove-tree.js';

const base: SubmitInput = {
  name: 'worker',
  argv: ['python3', 'worker.py', '--queue', 'q1'],
  slurm: undefined,
  exitDir: '/state/run/slurm',
  hash: 'abc123',
  owner: 'host-1:0123456789',
  workdir: '/home/u/agents/worker',
  output: '/state/logs/slurm/worker.out',
};

const sbatchLines = (script: string): string[] =>
  script
    .split('\n')
    .filter((l) => l.startsWith('#SBATCH '))
    .map((l) => l.slice('#SBATCH '.length));

describe('directives from spec.slurm', () => {
  const table: { option: string; slurm: SlurmSpec; line: string }[] = [
    { option: 'partition', slurm: { partition: 'debug' }, line: '--partition=debug' },
    { option: 'timeLimit', slurm: { timeLimit: '1-00:00:00' }, line: '--time=1-00:00:00' },
    { option: 'timeLimit minutes', slurm: { timeLimit: '1' }, line: '--time=1' },
    { option: 'cpusPerTask', slurm: { cpusPerTask: 2 }, line: '--cpus-per-task=2' },
    { option: 'memory', slurm: { memory: '4G' }, line: '--mem=4G' },
    { option: 'gres', slurm: { gres: 'gpu:1' }, line: '--gres=gpu:1' },
    { option: 'account', slurm: { account: 'lab' }, line: '--account=lab' },
    { option: 'qos', slurm: { qos: 'long' }, line: '--qos=long' },
    { option: 'reservation', slurm: { reservation: 'maint' }, line: '--reservation=maint' },
    { option: 'extraDirectives', slurm: { extraDirectives: ['--constraint=a100'] }, line: '--constraint=a100' },
    {
      option: 'extraDirectives with #SBATCH prefix',
      slurm: { extraDirectives: ['#SBATCH --nodes=1'] },
      line: '--nodes=1',
    },
    {
      option: 'extraDirectives with a space',
      slurm: { extraDirectives: ['--mail-type=END --mail-user=a@b'] },
      line: '--mail-type=END --mail-user=a@b',
    },
  ];
  it.each(table)('$option → #SBATCH $line', ({ slurm, line }) => {
    const lines = sbatchLines(renderScript({ ...base, slurm }));
    expect(lines).toEqual(['--no-requeue', line]);
  });

  it('without spec.slurm only --no-requeue (a preempted job ends and is resubmitted)', () => {
    expect(directives(undefined)).toEqual(['--no-requeue']);
  });

  it('empty strings are left out', () => {
    expect(directives({ account: '', qos: '', reservation: '' })).toEqual(['--no-requeue']);
  });

  it('all options together keep a fixed order, extras last', () => {
    const all: SlurmSpec = {
      partition: 'p',
      timeLimit: '10',
      cpusPerTask: 4,
      memory: '512M',
      gres: 'gpu:2',
      account: 'a',
      qos: 'q',
      reservation: 'r',
      extraDirectives: ['--exclusive'],
    };
    expect(directives(all)).toEqual([
      '--no-requeue',
      '--partition=p',
      '--time=10',
      '--cpus-per-task=4',
      '--mem=512M',
      '--gres=gpu:2',
      '--account=a',
      '--qos=q',
      '--reservation=r',
      '--exclusive',
    ]);
  });

  const bad: { case: string; slurm: SlurmSpec; msg: RegExp }[] = [
    {
      case: 'newline in partition (would end the #SBATCH line)',
      slurm: { partition: 'debug\ntouch /tmp/pwned' },
      msg: /partition must not contain control/,
    },
    { case: 'space in gres', slurm: { gres: 'gpu:1 --x' }, msg: /gres must not contain spaces/ },
    { case: 'quote in account', slurm: { account: "a'b" }, msg: /account must not contain/ },
    {
      case: 'newline in an extra directive',
      slurm: { extraDirectives: ['--x=1\nrm -rf /'] },
      msg: /extraDirectives\[0\] must not contain control/,
    },
    {
      case: 'extra directive that is not an option',
      slurm: { extraDirectives: ['echo hi'] },
      msg: /extraDirectives\[0\] must be an sbatch option/,
    },
  ];
  it.each(bad)('rejects $case', ({ slurm, msg }) => {
    expect(() => renderScript({ ...base, slurm })).toThrow(ScriptError);
    expect(() => renderScript({ ...base, slurm })).toThrow(msg);
  });
});

describe('sbatch argv', () => {
  const args = sbatchArgs(base);
  const table: { what: string; arg: string }[] = [
    { what: 'parsable output (job id only)', arg: '--parsable' },
    { what: 'job name', arg: '--job-name=agentctl.worker' },
    { what: 'comment with hash and owner', arg: '--comment=agentctl:abc123;owner=host-1:0123456789' },
    { what: 'output file', arg: '--output=/state/logs/slurm/worker.out' },
    { what: 'output appended across restarts', arg: '--open-mode=append' },
    { what: 'workdir', arg: '--chdir=/home/u/agents/worker' },
    { what: 'environment from sbatch’s own', arg: '--export=ALL' },
  ];
  it.each(table)('$what: $arg', ({ arg }) => expect(args).toContain(arg));

  it('a walltime successor waits on the singleton dependency and is marked next', () => {
    const next = sbatchArgs({ ...base, successor: true });
    expect(next).toContain('--dependency=singleton');
    expect(next).toContain('--comment=agentctl:abc123;next;owner=host-1:0123456789');
    expect(args).not.toContain('--dependency=singleton');
  });

  it('holds no script path (the script goes on stdin) and no environment values', () => {
    expect(args.every((a) => a.startsWith('--'))).toBe(true);
  });

  it('escapes % in the output path, which sbatch would expand', () => {
    expect(sbatchArgs({ ...base, output: '/s/100%/w.out' })).toContain('--output=/s/100%%/w.out');
    expect(slurmFilename('/a\\b/%j')).toBe('/a\\b/%j');
  });

  it('job name and comment helpers', () => {
    expect(jobName('x')).toBe('agentctl.x');
    expect(jobComment('h', 'o')).toBe('agentctl:h;owner=o');
  });

  it.each([
    ['123\n', '123'],
    ['123;cluster\n', '123'],
    ['', null],
    ['sbatch: error', null],
  ])('parseJobId(%j) = %j', (out, id) => expect(parseJobId(out)).toBe(id));
});

describe('batch script', () => {
  it('starts with #!/bin/sh and puts every #SBATCH line before the first command', () => {
    const lines = renderScript({ ...base, slurm: { partition: 'debug' } }).split('\n');
    expect(lines[0]).toBe('#!/bin/sh');
    const firstCommand = lines.findIndex((l, i) => i > 0 && l !== '' && !l.startsWith('#'));
    const lastDirective = lines.map((l) => l.startsWith('#SBATCH')).lastIndexOf(true);
    expect(lastDirective).toBeLessThan(firstCommand);
  });

  it('single-quotes every argv element', () => {
    expect(renderScript(base)).toContain("\n'python3' 'worker.py' '--queue' 'q1'\n");
    expect(shQuote("it's")).toBe("'it'\\''s'");
  });

  it('records the exit code in <exitDir>/<name>.<jobid>.exit', () => {
    const s = renderScript(base);
    expect(s).toContain(`exit_file='/state/run/slurm/worker.'"$SLURM_JOB_ID"'.exit'`);
    expect(s).toContain('exit "$c"');
  });

  it('rejects an empty argv and an invalid agent name', () => {
    expect(() => renderScript({ ...base, argv: [] })).toThrow(/command is empty/);
    expect(() => renderScript({ ...base, name: 'a;b' })).toThrow(/not a valid agent name/);
  });

  it('run by a real sh: hostile arguments arrive verbatim, nothing in them runs, the exit code is recorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentctl-slurm-script-'));
    try {
      const marker = join(dir, 'pwned');
      const hostile = [
        `$(touch ${marker})`,
        `\`touch ${marker}\``,
        `'; touch ${marker}; '`,
        '$HOME',
        '*',
        'a\nb',
        '"\\',
      ];
      const argv = ['sh', '-c', 'printf "%s\\0" "$@" > "$0"; exit 3', join(dir, 'args'), ...hostile];
      const script = renderScript({ ...base, argv, exitDir: dir });
      writeFileSync(join(dir, 'job.sh'), script);
      const r = await execa('sh', [join(dir, 'job.sh')], { reject: false, env: { SLURM_JOB_ID: '42' }, cwd: dir });
      expect(r.exitCode).toBe(3);
      expect(existsSync(marker)).toBe(false);
      expect(readFileSync(join(dir, 'args'), 'utf8').split('\0').slice(0, -1)).toEqual(hostile);
      expect(readFileSync(join(dir, 'worker.42.exit'), 'utf8')).toBe('3\n');
    } finally {
      removeTree(dir);
    }
  });
});
