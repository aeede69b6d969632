// install-service: the unit it writes passes systemd-analyze and runs where node is not on PATH;
// SIGTERM (KillMode=process) stops the controller and leaves its agents running.
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLI, ROOT, agentYaml, sandbox, waitFor, type Sandbox } from '../../helpers/cli.js';
import { testTmux, type TestTmux } from '../../helpers/tmux.js';
import { pathWithoutNode, readUnit } from '../../helpers/systemd-unit.js';

let sb: Sandbox | undefined;
let tmux: TestTmux | undefined;
afterEach(async () => {
  await tmux?.kill();
  sb?.cleanup();
  sb = undefined;
  tmux = undefined;
});

describe('agentctl install-service', () => {
  it('writes a unit systemd accepts, which runs the controller without node on PATH and stops without stopping agents', async () => {
    tmux = testTmux();
    sb = sandbox(tmux.socket);
    const s = sb;
    s.write('sleeper.yaml', agentYaml('sleeper', ['sleep', '600']));
    const bin = pathWithoutNode(join(s.dir, 'bin'));
    const unitDir = join(s.dir, 'units');
    const baseEnv = {
      HOME: s.dir,
      PATH: bin,
      AGENTCTL_SPECS: s.specs,
      AGENTCTL_STATE: s.state,
      AGENTCTL_TMUX_SOCKET: tmux.socket,
    };
    expect((await execa('sh', ['-c', 'command -v node'], { env: baseEnv, reject: false })).exitCode).not.toBe(0);

    const r = await execa(process.execPath, [CLI, 'install-service', '--unit-dir', unitDir], {
      env: baseEnv,
      extendEnv: false,
      reject: false,
    });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`wrote ${join(unitDir, 'agentctl.service')}`);
    expect(r.stdout).toContain('systemctl --user daemon-reload && systemctl --user enable --now agentctl');
    const file = join(unitDir, 'agentctl.service');

    const verify = await execa('systemd-analyze', ['verify', file], { reject: false });
    expect(`${verify.stdout}${verify.stderr}`).toBe('');
    expect(verify.exitCode).toBe(0);

    const unit = readUnit(readFileSync(file, 'utf8'), s.dir);
    expect(unit.argv[0]).toBe(process.execPath);
    expect(unit.argv.slice(1)).toEqual(['--max-semi-space-size=2', CLI, 'reconcile']);
    expect(unit.env).toMatchObject({
      PATH: bin,
      AGENTCTL_SPECS: s.specs,
      AGENTCTL_STATE: s.state,
      AGENTCTL_TMUX_SOCKET: tmux.socket,
    });
    expect(unit.settings.get('KillMode')).toEqual(['process']);
    expect(unit.env.LANG).toBe('C.UTF-8');

    // As the user manager runs it: only the unit's environment (and HOME), nothing from a shell.
    const controller = execa(unit.argv[0]!, unit.argv.slice(1), {
      env: { HOME: s.dir, ...unit.env },
      extendEnv: false,
      reject: false,
      cwd: '/',
    });
    try {
      const get = (): Promise<{ items: { name: string; phase: string; handle: string | null }[] }> =>
        execa(process.execPath, [CLI, 'get', '-o', 'json'], { env: baseEnv, extendEnv: false }).then((g) =>
          JSON.parse(g.stdout),
        );
      const running = await waitFor(
        async () => (await get()).items.find((i) => i.name === 'sleeper' && i.phase === 'Running'),
        30_000,
        200,
      ).catch(async (err: Error) => {
        controller.kill('SIGTERM');
        throw new Error(
          `${err.message}; controller said: ${(await controller).stderr.slice(-2000)}; get: ${JSON.stringify(await get())}`,
        );
      });
      expect(running.handle).toBeTruthy();
    } finally {
      controller.kill('SIGTERM');
    }
    const done = await controller;
    expect(done.exitCode).toBe(0);
    const sessions = await tmux.sessions();
    expect(sessions.get('sleeper')?.dead).toBe(false);
  });

  it('prints the unit with --print, baking in --specs and --http-addr, without writing anything', async () => {
    sb = sandbox('agentctl-unused');
    const r = await sb.run(['--specs', 'specs', 'install-service', '--print', '--http-addr', '127.0.0.1:19464'], {
      HOME: sb.dir,
      LANG: 'de_DE.UTF-8',
    });
    expect(r.exitCode).toBe(0);
    const unit = readUnit(r.stdout, sb.dir);
    expect(unit.env.AGENTCTL_SPECS).toBe(join(sb.dir, 'specs'));
    expect(unit.env.AGENTCTL_HTTP_ADDR).toBe('127.0.0.1:19464');
    expect(unit.env.AGENTCTL_HOST).toBe('testhost');
    expect(unit.env.LANG).toBe('de_DE.UTF-8');
    expect(r.stdout).toMatch(/^# Written by `agentctl install-service`/);
  });

  it("run through npx, writes the shell's PATH without npx's temporary entries", async () => {
    sb = sandbox('agentctl-unused');
    // The PATH `npx agentctl` gives its command (measured with npm 11: `npx -c 'echo $PATH'` in a
    // checkout), and the cache entry of `npx <package>` run outside one. A real npx in a fresh
    // clone builds the package first (a minute), so the test sets the same PATH itself.
    const npx = [
      join(sb.dir, '.npm', '_npx', '1a896c578ab41e12', 'node_modules', '.bin'),
      join(ROOT, 'node_modules', '.bin'),
      join(dirname(ROOT), 'node_modules', '.bin'),
      '/node_modules/.bin',
      '/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin',
    ];
    // (This test itself may run under npx: its own PATH's npm entries are left out of the shell's.)
    const own = (process.env.PATH ?? '')
      .split(':')
      .filter((e) => !/node_modules\/\.bin$|node-gyp-bin$|\/_npx\//.test(e));
    const shell = ['/opt/shell-tools/bin', ...own];
    const r = await sb.run(['install-service', '--print'], { HOME: sb.dir, PATH: [...npx, ...shell].join(':') });
    expect(r.exitCode).toBe(0);
    const path = readUnit(r.stdout, sb.dir).env.PATH!.split(':');
    expect(path[0]).toBe('/opt/shell-tools/bin');
    expect(path.filter((e) => npx.includes(e))).toEqual([]);
    expect(path).toEqual([...new Set(shell.filter((e) => e !== ''))]);
  });

  it('watches the git-sync link unless told otherwise, and says so', async () => {
    sb = sandbox('agentctl-unused');
    const env = { ...sb.env, HOME: sb.dir } as Record<string, string>;
    delete env.AGENTCTL_SPECS;
    const r = await execa(process.execPath, [CLI, 'install-service', '--unit-dir', join(sb.dir, 'u')], {
      env,
      extendEnv: false,
      reject: false,
      cwd: sb.dir,
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(
      `specs:    ${join(sb.dir, 'agentctl', 'sync', 'live')} (the git-sync link, not there yet`,
    );
    expect(readUnit(readFileSync(join(sb.dir, 'u', 'agentctl.service'), 'utf8'), sb.dir).env.AGENTCTL_SPECS).toBe(
      join(sb.dir, 'agentctl', 'sync', 'live'),
    );
  });
});
