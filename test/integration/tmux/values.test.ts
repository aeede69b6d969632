// Values reach a tmux agent byte for byte, with exactly the environment DESIGN §9.5 promises.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { TmuxRuntime } from '../../../src/runtime/tmux/tmux-runtime.js';
import { createLocalExecutor, localMachine } from '../../../src/exec/local.js';
import { baseEnv } from '../../../src/runtime/agent-env.js';
import { sha256 } from '../../../src/spec/hash.js';
import { testTmux, type TestTmux } from '../../helpers/tmux.js';
import { ROOT, waitFor } from '../../helpers/cli.js';
import { removeTree } from '../../helpers/remove-tree.js';

const PROGRAM = resolve(ROOT, 'test', 'fixtures', 'programs', 'echo-argv-env.mjs');
let tmux: TestTmux;
let dir: string;
let rt: TmuxRuntime;
beforeEach(() => {
  tmux = testTmux();
  dir = mkdtempSync(join(tmpdir(), 'agentctl-values-'));
  rt = new TmuxRuntime({
    socket: tmux.socket,
    machine: localMachine(dir, createLocalExecutor()),
    runDir: join(dir, 'run'),
    owner: 'test:owner',
    baseEnv: { ...baseEnv(process.env), HOME: dir },
    log: pino({ level: 'silent' }),
  });
});
afterEach(async () => {
  await tmux.kill();
  removeTree(dir);
});

const CORPUS = [
  'import time\nfor i in range(3):\n    print(i)\ntime.sleep(9999)',
  '# a comment line\nx = 1 \\\n  + 2\n\t\tindented',
  'it\'s "both" \'\' ""',
  '$(touch /tmp/agentctl-pwned) `id` ; kill-server ; | & > < * ? [a] ~ {a,b}',
  '#{session_name} #(touch /tmp/agentctl-pwned) %if',
  'trailing;',
  'back\\slash \\n \\\\',
  'é ü 日本 🚀',
  '',
  '   leading and trailing spaces   ',
  'x'.repeat(100_000),
];

describe('tmux agents receive their values intact', () => {
  it('argv and env, byte for byte, in the workdir, with nothing of the tmux server environment', async () => {
    const out = join(dir, 'got.json');
    const workdir = join(dir, "w #{x} it's ~");
    const { mkdirSync } = await import('node:fs');
    mkdirSync(workdir);
    const env: Record<string, string> = { LINGER_MS: '60000', MY_TOKEN: 's3cr3t-value-xyz' };
    CORPUS.forEach((v, i) => (env[`V${i}`] = v));
    const res = await rt.start([
      {
        name: 'vals',
        argv: [process.execPath, PROGRAM, out, ...CORPUS],
        workdir,
        env,
        secrets: ['s3cr3t-value-xyz'],
        hash: sha256('vals'),
      },
    ]);
    expect(res.get('vals')!.error).toBeUndefined();
    const got = await waitFor(
      async () =>
        existsSync(out) &&
        (JSON.parse(readFileSync(out, 'utf8')) as { argv: string[]; env: Record<string, string>; cwd: string }),
    );
    expect(got.argv).toEqual(CORPUS);
    expect(got.cwd).toBe(workdir);
    CORPUS.forEach((v, i) => expect(got.env[`V${i}`], `V${i}`).toBe(v));
    // Exactly: the base, what the request gave, and what the shells themselves set.
    const allowed = new Set([
      ...Object.keys(baseEnv(process.env)),
      'HOME',
      ...Object.keys(env),
      'TERM',
      'PWD',
      'SHLVL',
      'OLDPWD',
      '_',
    ]);
    expect(Object.keys(got.env).filter((k) => !allowed.has(k))).toEqual([]);
    expect(got.env.TMUX).toBeUndefined();
    // SHELL is the controller's (or its account's), never tmux's default-shell: CI runners have none.
    expect(got.env.SHELL).toBe(baseEnv(process.env).SHELL ?? '/bin/sh');
    // No secret in tmux's session environment, in the pane's command, or left in a launch file.
    const shown = await tmux.run('show-environment', '-t', '=vals');
    expect(shown.stdout).not.toContain('s3cr3t-value-xyz');
    const cmd = await tmux.run('list-panes', '-a', '-F', '#{pane_start_command}');
    expect(cmd.stdout).not.toContain('s3cr3t-value-xyz');
    const { readdirSync } = await import('node:fs');
    // The shell empties its launch file the moment it has read it: no secret is left on disk.
    const left = readdirSync(join(dir, 'run')).filter((f) => f.endsWith('.launch'));
    for (const f of left) expect(readFileSync(join(dir, 'run', f), 'utf8'), f).toBe('');
    expect(existsSync('/tmp/agentctl-pwned')).toBe(false);
  });

  it('a server someone else started (with their environment) passes none of it to an agent', async () => {
    // An operator's hand-run tmux on the socket: the server inherits that shell's environment.
    const { execa } = await import('execa');
    await execa('tmux', ['-L', tmux.socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'theirs', 'sleep 600'], {
      env: { OPERATOR_SECRET: 'leak-me', DISPLAY: ':9' },
    });
    const out = join(dir, 'env.json');
    expect((await rt.observe()).foreign).toEqual(['theirs']); // as the pipeline does before starting
    const res = await rt.start([
      {
        name: 'clean',
        argv: [process.execPath, PROGRAM, out],
        workdir: dir,
        env: { LINGER_MS: '60000' },
        secrets: [],
        hash: sha256('clean'),
      },
    ]);
    expect(res.get('clean')!.error).toBeUndefined();
    const got = await waitFor(
      async () => existsSync(out) && (JSON.parse(readFileSync(out, 'utf8')) as { env: Record<string, string> }),
    );
    expect(got.env.OPERATOR_SECRET).toBeUndefined();
    expect(got.env.DISPLAY).toBeUndefined();
    const allowed = new Set([
      ...Object.keys(baseEnv(process.env)),
      'HOME',
      'LINGER_MS',
      'TERM',
      'PWD',
      'SHLVL',
      'OLDPWD',
      '_',
    ]);
    expect(Object.keys(got.env).filter((k) => !allowed.has(k))).toEqual([]);
    // Their session is left alone.
    expect((await tmux.run('has-session', '-t', '=theirs')).exitCode).toBe(0);
  });

  it('a workdir that cannot be entered fails the agent with a recorded exit, not a silent hang', async () => {
    const res = await rt.start([
      { name: 'nowd', argv: ['true'], workdir: join(dir, 'missing'), env: {}, secrets: [], hash: sha256('nowd') },
    ]);
    expect(res.get('nowd')!.error).toBeUndefined();
    const a = await waitFor(async () => {
      const o = (await rt.observe()).agents.get('nowd');
      return o && !o.alive && o;
    });
    expect(a.exit?.code).toBe(126);
  });
});
