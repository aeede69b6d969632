// ControlMaster reuse, counted in /proc: one master per host, one ssh client per call, one connection at the sshd.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SshExecutor } from '../../../src/exec/ssh-executor.js';
import { allArgv } from '../../helpers/procs.js';
import { useSshd } from '../../helpers/sshd.js';
import { removeTree } from '../../helpers/remove-tree.js';

const env = useSshd();
const state = mkdtempSync(join(tmpdir(), 'agentctl-ssh-mux-'));
const executors: SshExecutor[] = [];
afterAll(async () => {
  await Promise.all(executors.map((e) => e.close()));
  removeTree(state);
});

/** Polls /proc while `work` runs, keeping the largest count `measure` saw. */
async function peak<T>(work: Promise<T>, measure: () => number): Promise<[T, number]> {
  let max = 0;
  let done = false;
  const result = work.finally(() => (done = true));
  while (!done) {
    max = Math.max(max, measure());
    await new Promise((r) => setTimeout(r, 20));
  }
  return [await result, max];
}

describe('ControlMaster', () => {
  it('runs 10 calls at once over one master per host and one connection per sshd', async () => {
    const [a, b] = await Promise.all([env.pool.host('gpu1'), env.pool.host('gpu2')]);
    const dir = join(state, 'ssh');
    const ea = new SshExecutor({ name: 'gpu1', ssh: a.ssh, dir, home: '/root', maxSessions: 10 });
    const eb = new SshExecutor({ name: 'gpu2', ssh: b.ssh, dir, home: '/root', maxSessions: 10 });
    executors.push(ea, eb);
    // Connect first, so that the master is in place before the burst.
    await Promise.all([ea.run('true', []), eb.run('true', [])]);

    const ours = () => allArgv().filter((p) => p.argv[0] === 'ssh' && p.argv.some((x) => x.startsWith(dir)));
    const masters = () => ours().filter((p) => p.argv.includes('-M')).length;
    const clients = () => ours().filter((p) => p.argv.includes('ControlMaster=no')).length;
    const sshdSessions = (uid: number) =>
      allArgv().filter((p) => p.uid === uid && p.argv[0]?.startsWith('sshd:')).length;
    const burst = Promise.all([ea, eb].flatMap((e) => Array.from({ length: 10 }, () => e.run('sleep', ['1']))));

    let seenSessions = 0;
    const [runs, seenClients] = await peak(burst, () => {
      seenSessions = Math.max(seenSessions, sshdSessions(a.uid));
      expect(masters()).toBe(2);
      return clients();
    });
    expect(runs.every((r) => r.exitCode === 0)).toBe(true);
    expect(seenClients).toBeGreaterThan(2);
    expect(seenClients).toBeLessThanOrEqual(20);
    // All sessions ride one connection: the sshd holds a single session process for the user.
    expect(seenSessions).toBe(1);
    expect(ea.stats).toEqual({ masters: 1, clients: 11, controls: 0 });
    expect(eb.stats).toEqual({ masters: 1, clients: 11, controls: 0 });
    expect(ea.spawned).toBe(12);
  });

  it('replaces a master killed outright (its socket left behind) without failing the call', async () => {
    const c = await env.pool.host('gpu4');
    const dir = join(state, 'ssh-kill');
    const e = new SshExecutor({ name: 'gpu4', ssh: c.ssh, dir, home: '/root' });
    executors.push(e);
    await e.run('true', []);
    const master = allArgv().find(
      (p) => p.argv[0] === 'ssh' && p.argv.includes('-M') && p.argv.some((x) => x.startsWith(dir)),
    );
    process.kill(master!.pid, 'SIGKILL');
    for (let i = 0; i < 100 && allArgv().some((p) => p.pid === master!.pid); i++)
      await new Promise((r) => setTimeout(r, 20));
    const r = await e.run('echo', ['again']);
    expect(r.stdout).toBe('again\n');
    expect([e.connections, e.stats.masters]).toEqual([2, 2]);
  });

  it('closes the master on close(), leaving no ssh process behind', async () => {
    const c = await env.pool.host('gpu3');
    const dir = join(state, 'ssh-close');
    const e = new SshExecutor({ name: 'gpu3', ssh: c.ssh, dir, home: '/root' });
    await e.run('true', []);
    const ours = () => allArgv().filter((p) => p.argv[0] === 'ssh' && p.argv.some((x) => x.startsWith(dir)));
    expect(ours().length).toBe(1);
    await e.close();
    for (let i = 0; i < 100 && ours().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(ours()).toEqual([]);
    await expect(e.run('true', [])).rejects.toThrow(/closed/);
  });
});
