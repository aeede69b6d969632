// spec.loginShell on a real tmux: bash, dash, zsh and fish read their login profile, and the argv arrives byte for byte.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { TmuxRuntime } from '../../../src/runtime/tmux/tmux-runtime.js';
import { createLocalExecutor, localMachine } from '../../../src/exec/local.js';
import { baseEnv } from '../../../src/runtime/agent-env.js';
import { sha256 } from '../../../src/spec/hash.js';
import { loginShellArgv } from '../../../src/spec/login-shell.js';
import { INJECTION_CORPUS } from '../../helpers/injection-corpus.js';
import { testTmux, type TestTmux } from '../../helpers/tmux.js';
import { ROOT, waitFor } from '../../helpers/cli.js';
import { removeTree } from '../../helpers/remove-tree.js';

const PROGRAM = resolve(ROOT, 'test', 'fixtures', 'programs', 'echo-argv-env.mjs');
const SHELLS = ['/bin/bash', '/bin/dash', '/usr/bin/zsh', '/usr/bin/fish'].filter((s) => existsSync(s));
let tmux: TestTmux;
let dir: string;
let rt: TmuxRuntime;

beforeEach(() => {
  tmux = testTmux();
  dir = mkdtempSync(join(tmpdir(), 'agentctl-login-'));
  rt = new TmuxRuntime({
    socket: tmux.socket,
    machine: localMachine(dir, createLocalExecutor()),
    runDir: join(dir, 'run'),
    owner: 'test:owner',
    baseEnv: { ...baseEnv(process.env), HOME: dir },
    log: pino({ level: 'silent' }),
  });
  // What each login shell reads: a PATH entry and a mark, as nvm or environment modules would set.
  const bin = join(dir, 'profile-bin');
  mkdirSync(bin);
  const sh = `export LOGIN_MARK=profile-read\nexport PATH="${bin}:$PATH"\n`;
  writeFileSync(join(dir, '.profile'), sh);
  writeFileSync(join(dir, '.bash_profile'), sh);
  writeFileSync(join(dir, '.zprofile'), sh);
  mkdirSync(join(dir, '.config', 'fish'), { recursive: true });
  writeFileSync(
    join(dir, '.config', 'fish', 'config.fish'),
    `set -gx LOGIN_MARK profile-read\nset -gx PATH ${bin} $PATH\n`,
  );
});

afterEach(async () => {
  await tmux.kill();
  removeTree(dir);
});

const CORPUS = [
  ...INJECTION_CORPUS.map((w) => w.replaceAll('CANARY', join(tmpdir(), 'agentctl-pwned'))),
  'é 日本 🚀',
  '-l',
];

describe('loginShell', () => {
  it('runs the argv through each login shell: profile read, every argument exact, nothing run', async () => {
    expect(SHELLS.length).toBeGreaterThanOrEqual(2);
    const requests = SHELLS.map((shell, i) => ({
      name: `login-${i}`,
      argv: loginShellArgv([process.execPath, PROGRAM, join(dir, `got-${i}.json`), ...CORPUS]),
      workdir: dir,
      env: { SHELL: shell, LINGER_MS: '60000' },
      secrets: [],
      hash: sha256(shell),
    }));
    const res = await rt.start(requests);
    for (const r of requests) expect(res.get(r.name)!.error).toBeUndefined();
    for (const [i, shell] of SHELLS.entries()) {
      const out = join(dir, `got-${i}.json`);
      const got = await waitFor(
        async () =>
          existsSync(out) && (JSON.parse(readFileSync(out, 'utf8')) as { argv: string[]; env: Record<string, string> }),
        30_000,
      );
      expect(got.argv, shell).toEqual(CORPUS);
      expect(got.env.LOGIN_MARK, shell).toBe('profile-read');
      expect(got.env.PATH!.split(':')[0], shell).toBe(join(dir, 'profile-bin'));
    }
    expect(existsSync(join(tmpdir(), 'agentctl-pwned'))).toBe(false);
  });
});
