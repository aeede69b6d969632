// The README cannot drift: every YAML example validates (or is marked a fragment), every agentctl
// command line names real commands and flags, every flag of `--help` is documented, every path it
// names exists, and the blocks marked `<!-- sandbox -->` run as written, in order, in a sandbox.
import { execa } from 'execa';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../../helpers/cli.js';
import { agentctlInvocations, readmeBlocks, shellCommands, type Block } from '../../helpers/readme-blocks.js';
import { removeTree } from '../../helpers/remove-tree.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = readmeBlocks(README);
const where = (b: Block): string => `README.md:${b.line}`;
const work = mkdtempSync(join(tmpdir(), 'agentctl-readme-'));
afterAll(() => removeTree(work));

/** Each command's long and short flags, from its own --help (global ones under ''). */
let flags: Map<string, Set<string>>;
/** Each command's options, each as its names (`-o`, `--output`). */
const aliases = new Map<string, string[][]>();
beforeAll(async () => {
  const help = async (args: string[]): Promise<string> => (await execa('node', [CLI, ...args, '--help'])).stdout;
  const section = (text: string, title: string): string[] => {
    const start = text.indexOf(`${title}:\n`);
    if (start < 0) return [];
    const rest = text.slice(start + title.length + 2);
    return rest.slice(0, rest.search(/\n\S|$/)).split('\n');
  };
  const namesOf = (text: string): string[][] =>
    section(text, 'Options')
      .map((l) => [...l.matchAll(/(?<=^\s+|, )(--?[\w-]+)/g)].map((m) => m[1]!))
      .filter((n) => n.length > 0);
  const optionsOf = (text: string): Set<string> => new Set(namesOf(text).flat());
  const top = await help([]);
  flags = new Map([['', optionsOf(top)]]);
  aliases.set('', namesOf(top));
  const commands = section(top, 'Commands')
    .map((l) => /^\s{2}([a-z][\w-]*)/.exec(l)?.[1])
    .filter((c): c is string => c !== undefined && c !== 'help');
  for (const c of commands) {
    const text = await help([c]);
    flags.set(c, optionsOf(text));
    aliases.set(c, namesOf(text));
  }
}, 120_000);

describe('README examples', () => {
  const yamlBlocks = blocks.filter((b) => b.lang === 'yaml');

  it.each(yamlBlocks.map((b) => [where(b), b] as const))('%s validates, or is marked a fragment', async (_, b) => {
    if (b.mark?.startsWith('fragment')) return;
    const dir = join(work, `yaml-${b.line}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'example.yaml'), `${b.text}\n`);
    const r = await execa('node', [CLI, 'validate', '--specs', dir], { reject: false });
    expect(r.stdout + r.stderr, where(b)).toMatch(/: valid$/);
    expect(r.exitCode).toBe(0);
    // A readyPattern must be able to match a prompt as tmux shows it (trailing spaces dropped).
    for (const doc of parseAllDocuments(b.text)) {
      const pattern = (doc.toJS() as { spec?: { startup?: { readyPattern?: string } } }).spec?.startup?.readyPattern;
      if (pattern !== undefined) expect(new RegExp(pattern).test('user@box:~/agent$'), pattern).toBe(true);
    }
  });

  it('JSON blocks parse', () => {
    for (const b of blocks.filter((x) => x.lang === 'json'))
      expect(() => JSON.parse(b.text) as unknown, where(b)).not.toThrow();
  });

  it('every shell block is run in the sandbox below or says why not', () => {
    for (const b of blocks.filter((x) => x.lang === 'sh'))
      expect(b.mark ?? '', `${where(b)} needs <!-- sandbox --> or <!-- not run: why -->`).toMatch(
        /^(sandbox|not run: .+)$/,
      );
  });

  it('every agentctl command line names a real command and real flags', () => {
    const lines = blocks
      .filter((b) => b.lang === 'sh' || b.lang === 'console')
      .flatMap((b) => shellCommands(b.text.replace(/^\$ /gm, '')).map((c) => [where(b), c] as const));
    const inline = [...README.matchAll(/`((?:npx )?agentctl [^`]+)`/g)].map((m) => ['inline', m[1]!] as const);
    const bad: string[] = [];
    for (const [at, line] of [...lines, ...inline])
      for (const words of agentctlInvocations(line)) {
        const command = words.find((w) => !w.startsWith('-')) ?? '';
        if (words[0]?.startsWith('-') && ['--version', '-V'].includes(words[0])) continue;
        const known = flags.get(command);
        if (!known) {
          bad.push(`${at}: ${line}: no command ${JSON.stringify(command)}`);
          continue;
        }
        const end = words.indexOf('--');
        for (const w of (end < 0 ? words : words.slice(0, end)).filter((x) => /^--?[a-zA-Z]/.test(x))) {
          const flag = w.replace(/=.*$/, '');
          if (!known.has(flag) && !flags.get('')!.has(flag)) bad.push(`${at}: ${line}: ${command} has no ${flag}`);
        }
      }
    expect(bad).toEqual([]);
  });

  it('documents every flag of every command (its long form, or its short one)', () => {
    const mentioned = (f: string): boolean =>
      new RegExp(`(^|[\\s\`\\[(|])${f.replace(/[-]/g, '\\-')}(?![\\w-])`, 'm').test(README);
    const missing: string[] = [];
    for (const [command, options] of aliases)
      for (const names of options)
        if (!names.includes('--help') && !names.some(mentioned))
          missing.push(`${command || '(global)'} ${names.join(', ')}`);
    expect(missing).toEqual([]);
  });

  it('names only files that are in the repository', () => {
    expect(README).not.toMatch(/DESIGN/);
    const paths = [
      ...[...README.matchAll(/\]\(([^)#\s]+)\)/g)].map((m) => m[1]!).filter((p) => !/^[a-z]+:/.test(p)),
      ...[...README.matchAll(/`((?:deploy|src|test|controllers|specs|\.ci)\/[^`\s]*)`/g)].map((m) => m[1]!),
    ].filter((p) => !/[<>*]/.test(p));
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((p) => !existsSync(join(ROOT, p.replace(/[.,:]$/, ''))))).toEqual([]);
  });
});

describe('README sandbox blocks, run as written', () => {
  it('Try it, look around, clean up: each command succeeds, and the clean-up leaves nothing', async () => {
    const home = join(work, 'home');
    const checkout = join(work, 'checkout');
    const bin = join(work, 'bin');
    const socket = `agentctl-readme-${process.pid}`;
    for (const d of [home, checkout, bin]) mkdirSync(d, { recursive: true });
    cpSync(join(ROOT, 'specs'), join(checkout, 'specs'), { recursive: true });
    const shim = (name: string, body: string): void => {
      writeFileSync(join(bin, name), `#!/usr/bin/env bash\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    // agentctl on PATH (as Install puts it there); npx runs it; `npm ci` is done (this checkout);
    // tmux's socket `agentctl` is this test's own.
    shim('agentctl', `exec node ${CLI} "$@"`);
    shim('npx', `[ "$1" = agentctl ] || exit 127; shift; exec node ${CLI} "$@"`);
    shim('npm', `[ "$1" = ci ] && exit 0; exit 127`);
    const tmux = (await execa('sh', ['-c', 'command -v tmux'])).stdout.trim();
    shim(
      'tmux',
      `a=(); for x in "$@"; do [ "$x" = agentctl ] && x=${socket}; a+=("$x"); done; exec ${tmux} "\${a[@]}"`,
    );
    const env: Record<string, string> = {
      HOME: home,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      LANG: 'C.UTF-8',
      AGENTCTL_TMUX_SOCKET: socket,
      AGENTCTL_LOG_FORMAT: 'json',
    };
    const ran: string[] = [];
    try {
      for (const b of blocks.filter((x) => x.mark === 'sandbox'))
        for (const line of shellCommands(b.text)) {
          const words = agentctlInvocations(line)[0] ?? [];
          if (words[0] === 'attach') continue; // needs a terminal: attach.test.ts drives it in one
          if (words[0] === 'reconcile' && !words.includes('--once')) {
            // The controller: runs until Ctrl-C, then exits 0.
            const p = execa('bash', ['-c', line], { env, extendEnv: false, cwd: checkout, reject: false });
            await new Promise((r) => setTimeout(r, 4000));
            p.kill('SIGINT');
            const r = await p;
            expect(r.exitCode, `${where(b)}: ${line}\n${r.stderr}`).toBe(0);
            ran.push(line);
            continue;
          }
          const r = await execa('bash', ['-c', line], {
            env,
            extendEnv: false,
            cwd: checkout,
            reject: false,
            timeout: 120_000,
          });
          expect(r.exitCode, `${where(b)}: ${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
          ran.push(line);
        }
      expect(ran.some((l) => l.includes('reconcile --once'))).toBe(true);
      expect(ran.some((l) => l.includes('kill-server'))).toBe(true);
      // Nothing left: no tmux server, no state, no example workdirs.
      expect((await execa(tmux, ['-L', socket, 'ls'], { reject: false })).exitCode).not.toBe(0);
      expect(existsSync(join(home, '.local', 'state', 'agentctl'))).toBe(false);
      expect(existsSync(join(home, 'agentctl-examples'))).toBe(false);
      const after = await execa('node', [CLI, 'get', '-o', 'json'], { env, extendEnv: false, cwd: checkout });
      for (const i of (JSON.parse(after.stdout) as { items: { phase: string }[] }).items)
        expect(i.phase).toBe('Pending');
    } finally {
      await execa(tmux, ['-L', socket, 'kill-server'], { reject: false });
    }
  }, 300_000);
});
