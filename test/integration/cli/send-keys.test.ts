// agentctl send against real tmux: what arrives in a raw terminal (shown cat -v style), what is refused, many agents in one client.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentYaml, waitFor } from '../../helpers/cli.js';
import { useTmuxSandbox } from '../../helpers/fixture.js';

const fx = useTmuxSandbox();

/** An agent whose terminal is raw (no echo, no signals from ^C, no line editing) and which writes
 * every byte it receives, cat -v style, to its own file: exactly what send typed. */
function catvAgent(name: string, labels = ''): string {
  const out = join(fx.sb.dir, `${name}.out`);
  writeFileSync(out, '');
  const yaml = agentYaml(name, ['sh', '-c', 'stty raw -echo && : > "$0.ready" && exec cat -v > "$0"', out]);
  return labels ? yaml.replace(`  name: ${name}\n`, `  name: ${name}\n  labels: {${labels}}\n`) : yaml;
}
const arrived = (name: string): string => readFileSync(join(fx.sb.dir, `${name}.out`), 'utf8');

async function startAll(...names: string[]): Promise<void> {
  expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
  // Only once stty has run is the terminal raw.
  await waitFor(async () => names.every((n) => existsSync(join(fx.sb.dir, `${n}.out.ready`))));
}

describe('send: text and named keys, byte for byte', () => {
  it('types text then Enter, and each named key as the terminal receives it', async () => {
    fx.sb.write('catv.yaml', catvAgent('catv'));
    await startAll('catv');
    const steps: [string[], string][] = [
      [['catv', 'hello', 'wörld', '$(no)', ';'], 'hello wM-CM-6rld $(no) ;^M'],
      [['catv', '--key', 'Escape'], '^['],
      [['catv', '--key', 'S-Tab'], '^[[Z'],
      [['catv', '--key', 'C-c', 'Enter'], '^C^M'],
      [['catv', '--key', 'Up', 'Down', 'Left', 'Right'], '^[[A^[[B^[[D^[[C'],
      [['catv', '--key', 'Tab', 'BSpace'], '\t^?'], // (cat -v shows a tab as is)
    ];
    let expected = '';
    for (const [args, bytes] of steps) {
      const r = await fx.sb.run(['send', ...args]);
      expect(r.exitCode, r.stderr).toBe(0);
      expected += bytes;
      await waitFor(async () => arrived('catv') === expected, 5000).catch(() => undefined);
      expect(arrived('catv')).toBe(expected);
    }
  });

  it('refuses control characters, 1 MB, unknown keys and secrets: exit 1, nothing typed', async () => {
    const envFile = join(fx.sb.dir, 'agent.env');
    writeFileSync(envFile, 'ANTHROPIC_API_KEY=sk-ant-0123456789abcdef\n', { mode: 0o600 });
    fx.sb.write('catv.yaml', catvAgent('catv').replace('spec: {', `spec: {"envFiles":["${envFile}"],`));
    await startAll('catv');
    const mb = Array.from({ length: 10 }, () => 'a'.repeat(105_000));
    const cases: [string[], RegExp][] = [
      [['catv', 'a\u0003b'], /U\+0003 \(\^C\).*--key/],
      [['catv', 'ls\rrm -rf x'], /U\+000D \(\^M, carriage return\)/],
      [['catv', '\u001b[Z'], /U\+001B \(ESC\)/],
      [['catv', 'x\u009b'], /U\+009B \(C1 control\)/],
      [['catv', 'sk-ant-01234\u007f56789abcdef'], /U\+007F \(\^\?, DEL\)/],
      [['catv', 'sk-ant-\u200b0123456789abcdef'], /refusing to type into catv: the text holds a secret value/],
      [['catv', ...mb], /over the limit of 65536 bytes \(64 KiB\)/],
      [['catv', '--key', 'C-z'], /unknown key "C-z"/],
      [['catv', 'hi', '--key', 'Enter'], /give TEXT or --key, not both/],
    ];
    for (const [args, message] of cases) {
      const r = await fx.sb.run(['send', ...args]);
      expect(r.exitCode, args[1]!.slice(0, 20)).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(`${r.stdout}${r.stderr}`).not.toContain('0123456789abcdef');
    }
    // A last harmless send arrives alone: nothing of the refused ones came before it.
    expect((await fx.sb.run(['send', 'catv', 'ok'])).exitCode).toBe(0);
    await waitFor(async () => arrived('catv').length > 0);
    await new Promise((r) => setTimeout(r, 200));
    expect(arrived('catv')).toBe('ok^M');
  });

  it('refuses an agent on a Host that cannot be reached, naming it', async () => {
    fx.sb.write(
      'host.yaml',
      'apiVersion: agentctl/v1\nkind: Host\nmetadata: {name: gone}\nspec: {ssh: {host: 127.0.0.1, port: 1, connectTimeoutSeconds: 2}}\n',
    );
    fx.sb.write('far.yaml', agentYaml('far', ['sleep', '600'], { host: 'gone' }));
    const r = await fx.sb.run(['send', 'far', 'hello'], {}, 30_000);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/cannot reach far \(tmux@gone\).*nothing was typed/);
  });

  it('types into many agents with one tmux client per step', async () => {
    const names = ['m1', 'm2', 'm3', 'm4'];
    for (const n of names) fx.sb.write(`${n}.yaml`, catvAgent(n, 'team: x'));
    fx.sb.write('other.yaml', catvAgent('other'));
    await startAll(...names, 'other');
    // A tmux on PATH that logs each client it starts, then runs the real one.
    const bin = join(fx.sb.dir, 'bin');
    mkdirSync(bin);
    const log = join(fx.sb.dir, 'tmux-calls.log');
    writeFileSync(join(bin, 'tmux'), `#!/bin/sh\necho "$*" >> '${log}'\nexec /usr/bin/tmux "$@"\n`);
    chmodSync(join(bin, 'tmux'), 0o755);
    const r = await fx.sb.run(['send', '-l', 'team=x', 'all', 'of', 'you'], { PATH: `${bin}:${process.env.PATH}` });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('typed 10 character(s) and Enter into m1, m2, m3, m4');
    for (const n of names) await waitFor(async () => arrived(n) === 'all of you^M');
    const typing = readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l.includes('send-keys'));
    // Text for all four in one client, Enter for all four in the next.
    expect(typing).toHaveLength(2);
    expect(typing[0]!.match(/send-keys/g)).toHaveLength(4);
    expect(arrived('other')).toBe('');
  });
});
