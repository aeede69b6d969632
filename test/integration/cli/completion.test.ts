// agentctl completion: every command in every shell's script, and what bash, fish and zsh really complete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { CLI } from '../../helpers/cli.js';
import { completionScript, type Shell } from '../../../src/cli/commands/completion.js';
import { removeTree } from '../../helpers/remove-tree.js';

const SHELLS: Shell[] = ['bash', 'zsh', 'fish'];
let dir: string;
const scripts = new Map<Shell, string>();
let commands: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentctl-completion-'));
  for (const s of SHELLS) {
    const r = await execa('node', [CLI, 'completion', s]);
    scripts.set(s, r.stdout);
    writeFileSync(join(dir, `agentctl.${s}`), r.stdout);
  }
  // The commands `--help` lists: the completion must know each of them.
  const help = (await execa('node', [CLI, '--help'])).stdout;
  commands = [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]!);
  // A stand-in `agentctl` on PATH answers `get -o name` (the scripts ask it for agent names).
  writeFileSync(
    join(dir, 'agentctl'),
    '#!/bin/sh\n[ "$1 $2 $3" = "get -o name" ] && printf "agent/alpha\\nagent/beta\\nworker-1\\n"\n',
  );
  chmodSync(join(dir, 'agentctl'), 0o755);
});
afterAll(() => removeTree(dir));

const env = (): Record<string, string> => ({ PATH: `${dir}:${process.env.PATH ?? ''}`, HOME: dir });

describe('completion scripts', () => {
  it('name every command of the program in every shell', () => {
    expect(commands).toEqual(
      expect.arrayContaining([
        'validate',
        'diff',
        'reconcile',
        'get',
        'logs',
        'version',
        'completion',
        'install-service',
      ]),
    );
    expect(commands.length).toBeGreaterThanOrEqual(16);
    for (const s of SHELLS)
      for (const c of commands)
        expect(scripts.get(s), `${s}: ${c}`).toMatch(new RegExp(`(^|[\\s'(|])${c}([\\s')|]|$)`, 'm'));
  });

  it('are valid scripts in their shell', async () => {
    expect((await execa('bash', ['-n', join(dir, 'agentctl.bash')], { reject: false })).exitCode).toBe(0);
    expect((await execa('zsh', ['-n', join(dir, 'agentctl.zsh')], { reject: false })).exitCode).toBe(0);
    expect((await execa('fish', ['--no-execute', join(dir, 'agentctl.fish')], { reject: false })).exitCode).toBe(0);
  });

  it('stay valid with quotes, brackets, dollars and backslashes in descriptions', async () => {
    const p = new Command('agentctl').addOption(new Option('--odd <dir>', 'it\'s [odd] $HOME \\ "x" `y`'));
    p.command('weird')
      .description('an agent\'s "weird" [thing]: $(rm -rf /) `z` \\')
      .argument('<names...>')
      .option('-x, --ex <v>', 'a: b [c]');
    const dirOdd = mkdtempSync(join(dir, 'odd-'));
    for (const s of SHELLS) writeFileSync(join(dirOdd, s), completionScript(p, s));
    expect((await execa('bash', ['-n', join(dirOdd, 'bash')], { reject: false })).exitCode).toBe(0);
    expect((await execa('zsh', ['-n', join(dirOdd, 'zsh')], { reject: false })).exitCode).toBe(0);
    const fish = await execa('fish', ['-c', `source ${join(dirOdd, 'fish')}; complete -C 'agentctl '`], {
      reject: false,
      env: env(),
    });
    expect(fish.exitCode).toBe(0);
    expect(fish.stdout).toContain(`weird\tan agent's "weird" [thing]: $(rm -rf /) \`z\` \\`);
  });
});

describe('bash', () => {
  async function complete(...words: string[]): Promise<string[]> {
    const script = `source ${join(dir, 'agentctl.bash')}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_agentctl; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = await execa('bash', ['-c', script], { env: env() });
    return r.stdout.split('\n').filter(Boolean);
  }

  it.each<[string[], string[]]>([
    [
      ['agentctl', ''],
      ['validate', 'diff', 'reconcile', 'get', 'version', 'completion', 'install-service'],
    ],
    [['agentctl', 'ver'], ['version']],
    [
      ['agentctl', 'get', '-o', ''],
      ['table', 'wide', 'json', 'yaml'],
    ],
    [['agentctl', '--specs', '/tmp', 'get', '--output', 'j'], ['json']],
    [['agentctl', '--log-level', 'w'], ['warn']],
    [
      ['agentctl', 'completion', ''],
      ['bash', 'zsh', 'fish'],
    ],
    [
      ['agentctl', 'logs', ''],
      ['alpha', 'beta', 'worker-1'],
    ],
    [['agentctl', 'restart', 'alpha', 'w'], ['worker-1']],
    [['agentctl', '--tmux-socket', 'x', 'describe', 'b'], ['beta']],
    [['agentctl', 'help', 'rec'], ['reconcile']],
    [['agentctl', 'get', '--no'], ['--no-headers']],
    [['agentctl', 'get', '--xyz'], []],
  ])('%j → %j', async (words, expected) => {
    const got = await complete(...words);
    if (expected.length === 0) expect(got).toEqual([]);
    else expect(got).toEqual(expect.arrayContaining(expected));
    if (words.at(-1) !== '') for (const g of got) expect(g.startsWith(words.at(-1)!)).toBe(true);
  });

  it("offers a command's own options and the global ones", async () => {
    const got = await complete('agentctl', 'logs', '--');
    expect(got).toEqual(expect.arrayContaining(['--lines', '--follow', '--specs', '--state', '--help']));
    expect(new Set(got).size).toBe(got.length);
  });
});

describe('fish', () => {
  async function complete(line: string): Promise<string[]> {
    const r = await execa(
      'fish',
      ['--no-config', '-c', `source ${join(dir, 'agentctl.fish')}; complete -C '${line}'`],
      { env: env() },
    );
    return r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[0]!);
  }

  it.each<[string, string[]]>([
    ['agentctl ', ['validate', 'get', 'version', 'completion', 'install-service']],
    ['agentctl get -o ', ['table', 'wide', 'json', 'yaml']],
    ['agentctl --specs /tmp get --output ', ['json', 'yaml']],
    ['agentctl completion ', ['bash', 'zsh', 'fish']],
    ['agentctl logs ', ['alpha', 'beta', 'worker-1']],
    ['agentctl --log-level ', ['trace', 'silent']],
    ['agentctl logs --', ['--lines', '--follow', '--specs']],
  ])('%j → %j', async (line, expected) => {
    expect(await complete(line)).toEqual(expect.arrayContaining(expected));
  });

  it('does not offer commands once one is given', async () => {
    expect(await complete('agentctl get ')).not.toContain('validate');
  });
});

describe('zsh', () => {
  it('registers _agentctl for agentctl when sourced after compinit', async () => {
    const r = await execa(
      'zsh',
      [
        '-f',
        '-c',
        `autoload -Uz compinit && compinit -u -d ${join(dir, 'zcompdump')} && source ${join(dir, 'agentctl.zsh')} && print -r -- $_comps[agentctl] && whence -w _agentctl_names`,
      ],
      { env: env(), reject: false },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual(['_agentctl', '_agentctl_names: function']);
  });
});
