// SshExecutor against real sshd hosts: commands on two hosts at once, exit codes, stdin, env and cwd.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshExecutor } from '../../../src/exec/ssh-executor.js';
import { useSshd, type TestHost } from '../../helpers/sshd.js';
import { removeTree } from '../../helpers/remove-tree.js';

const env = useSshd();
const state = mkdtempSync(join(tmpdir(), 'agentctl-ssh-exec-'));
let a: TestHost, b: TestHost;
let ea: SshExecutor, eb: SshExecutor;

beforeAll(async () => {
  [a, b] = await Promise.all([env.pool.host('gpu1'), env.pool.host('gpu2')]);
  ea = new SshExecutor({ name: 'gpu1', ssh: a.ssh, dir: join(state, 'ssh'), home: '/root' });
  eb = new SshExecutor({ name: 'gpu2', ssh: b.ssh, dir: join(state, 'ssh'), home: '/root' });
});
afterAll(async () => {
  await Promise.all([ea?.close(), eb?.close()]);
  removeTree(state);
});

describe('SshExecutor', () => {
  it('runs commands on two hosts at once, each as its own user in its own home', async () => {
    const runs = await Promise.all([ea, eb, ea, eb].map((e) => e.run('sh', ['-c', 'echo "$(id -un) $HOME"'])));
    expect(runs.map((r) => [r.exitCode, r.stdout])).toEqual([
      [0, `${a.user} ${a.home}\n`],
      [0, `${b.user} ${b.home}\n`],
      [0, `${a.user} ${a.home}\n`],
      [0, `${b.user} ${b.home}\n`],
    ]);
  });

  it("returns the program's own exit code and stderr, 255 included", async () => {
    for (const code of [0, 1, 42, 127, 255]) {
      const r = await ea.run('sh', ['-c', `echo out; echo err >&2; exit ${code}`]);
      expect([r.exitCode, r.stdout, r.stderr, r.timedOut]).toEqual([code, 'out\n', 'err\n', false]);
    }
  });

  it('reports a program killed by a signal as 128+N, as the local executor does', async () => {
    expect((await ea.run('sh', ['-c', 'kill -TERM $$'])).exitCode).toBe(128 + 15);
    expect((await ea.run('sh', ['-c', 'kill -KILL $$'])).exitCode).toBe(128 + 9);
  });

  it('runs the program on PATH, never a shell builtin of that name', async () => {
    expect((await ea.run('echo', ['a\\nb'])).stdout).toBe('a\\nb\n');
  });

  it('delivers 100 KB of stdin byte for byte', async () => {
    const chars = [...'aé日🚀\t\r\n\\\'"$`\u0001 '];
    const input = Array.from({ length: 100_000 }, (_, i) => chars[(i * 7919) % chars.length]).join('');
    const r = await ea.run('cat', [], { input });
    expect(r.stdout.length).toBe(input.length);
    expect(r.stdout === input).toBe(true);
  });

  it('sets env and cwd from the options', async () => {
    const r = await ea.run('sh', ['-c', 'printf "%s|%s|%s" "$GREETING" "$(pwd)" "${LOGNAME}"'], {
      env: { GREETING: "it's\nfine" },
      cwd: '/tmp',
    });
    expect(r.stdout).toBe(`it's\nfine|/tmp|${a.user}`);
  });

  it('reports a program that is not there as a spawn error, like the local executor', async () => {
    const r = await ea.run('agentctl-no-such-program', ['x']);
    expect([r.exitCode, r.spawnError]).toEqual([127, 'ENOENT']);
  });

  it('times out a slow program as a timeout, not as an unreachable host', async () => {
    const r = await ea.run('sleep', ['30'], { timeoutMs: 1500 });
    expect([r.exitCode, r.timedOut]).toEqual([124, true]);
    expect((await ea.run('true', [])).exitCode).toBe(0);
  });

  it('runs a program with the terminal for attach, over the same master', async () => {
    // No terminal here: ssh says so and runs the command anyway; the exit code comes back.
    expect(await ea.interactive('sh', ['-c', 'exit 7'])).toBe(7);
  });

  it('keeps one master per host', () => {
    expect([ea.connections, eb.connections]).toEqual([1, 1]);
    expect(ea.stats.masters).toBe(1);
  });
});
