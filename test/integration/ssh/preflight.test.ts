// Preflight against real sshd hosts: a healthy host, one without tmux on PATH, a refused one, a reconnect.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Machine } from '../../../src/exec/executor.js';
import { SshExecutor } from '../../../src/exec/ssh-executor.js';
import { connectSshMachine } from '../../../src/exec/ssh-files.js';
import { HostPreflight, runPreflight } from '../../../src/hosts/preflight.js';
import { useSshd, type TestHost } from '../../helpers/sshd.js';
import { removeTree } from '../../helpers/remove-tree.js';

const env = useSshd();
const state = mkdtempSync(join(tmpdir(), 'agentctl-preflight-'));
const executors: SshExecutor[] = [];
let good: TestHost, bare: TestHost;

const machine = async (name: string, h: TestHost): Promise<Machine & { exec: SshExecutor }> => {
  const exec = new SshExecutor({ name, ssh: h.ssh, dir: join(state, 'ssh'), home: '/root' });
  executors.push(exec);
  return { ...(await connectSshMachine(exec)), exec };
};

beforeAll(async () => {
  [good, bare] = await Promise.all([env.pool.host('gpu1'), env.pool.host('gpu2', { withoutTmux: true })]);
});
afterAll(async () => {
  await Promise.all(executors.map((e) => e.close()));
  removeTree(state);
});

const summary = (checks: { name: string; ok: boolean; fix?: string }[]) => checks.map((c) => [c.name, c.ok, c.fix]);

describe('preflight', () => {
  it('passes on a healthy host and reports tmux version and latency', async () => {
    const m = await machine('gpu1', good);
    const r = await runPreflight(m, { workdirs: ['~/agents/a', '/tmp/x/y'], needTmux: true, needSlurm: true });
    expect(summary(r.checks)).toEqual([
      ['ssh', true, undefined],
      ['tmux', true, undefined],
      ['slurm', true, undefined],
      ['disk', true, undefined],
      ['disk', true, undefined],
    ]);
    expect([r.ok, r.tmuxVersion]).toEqual([true, 'tmux 3.3a']);
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    expect(r.checks[3]?.message).toMatch(new RegExp(`free for ${good.home}/agents/a$`));
  });

  it('says to install tmux on a host whose PATH has none', async () => {
    const m = await machine('gpu2', bare);
    const r = await runPreflight(m, { workdirs: ['~/w'], needTmux: true, needSlurm: true });
    expect(r.ok).toBe(false);
    expect(summary(r.checks).slice(0, 3)).toEqual([
      ['ssh', true, undefined],
      ['tmux', false, 'install tmux on gpu2 (3.2 or newer), or put it on the PATH of ssh commands there'],
      [
        'slurm',
        false,
        'install the Slurm client tools on gpu2, or put sbatch, squeue, scancel on the PATH of ssh commands there',
      ],
    ]);
    expect(r.tmuxVersion).toBeUndefined();
  });

  it('says to free disk space when the workdir’s disk has less than asked', async () => {
    const m = await machine('gpu1', good);
    const r = await runPreflight(m, { workdirs: ['~'], needTmux: false, minFreeBytes: 2 ** 60 });
    expect(summary(r.checks)).toEqual([
      ['ssh', true, undefined],
      ['disk', false, `free disk space on gpu1 under ${good.home}`],
    ]);
  });

  it('reports an unreachable host as a failed ssh check with its fix, and runs again after a reconnect', async () => {
    const c = await env.pool.host('gpu3');
    const m = await machine('gpu3', c);
    const p = new HostPreflight(m, () => ({ workdirs: ['~'], needTmux: true }));
    const first = await p.current();
    expect(first.ok).toBe(true);
    expect(await p.current()).toBe(first);

    await c.refuse();
    let down = await p.current(true);
    if (down.checks[0]?.message.includes('(lost)')) down = await p.current(true);
    expect(summary(down.checks)).toEqual([
      ['ssh', false, `start sshd on ${c.address} port ${c.port}, or correct spec.ssh.host/port of Host gpu3`],
    ]);

    await c.restart();
    const back = await p.current();
    expect(back.ok).toBe(true);
    expect(back).not.toBe(first);
    expect(m.exec.connections).toBe(2);
    expect(await p.current()).toBe(back);
  });
});
