// The sshd test harness itself: hosts are separate users with their own tmux, and cleanup leaves nothing.
import { execa } from 'execa';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SshExecutor } from '../../../src/exec/ssh-executor.js';
import { isAlive, processesOf } from '../../helpers/procs.js';
import { SshdPool } from '../../helpers/sshd.js';
import { removeTree } from '../../helpers/remove-tree.js';

const state = mkdtempSync(join(tmpdir(), 'agentctl-ssh-harness-'));
afterAll(() => removeTree(state));

describe('SshdPool', () => {
  it('gives each host its own user, address and tmux server, and cleanup removes them all, twice over', async () => {
    const pool = await SshdPool.create();
    const [a, b] = await Promise.all([pool.host('a'), pool.host('b')]);
    expect(a.user).not.toBe(b.user);
    expect(`${a.address}:${a.port}`).not.toBe(`${b.address}:${b.port}`);
    const ea = new SshExecutor({ name: 'a', ssh: a.ssh, dir: join(state, 'ssh'), home: '/root' });
    // A tmux server of the host's user, as an agent would leave one running.
    const r = await ea.run('tmux', ['-L', 'agentctl-harness', 'new-session', '-d', '-s', 'x', 'sleep', '600']);
    expect(r.exitCode).toBe(0);
    expect(processesOf(a.uid).length).toBeGreaterThan(0);
    const sshd = Number((await execa('cat', [join(pool.dir, a.user, 'sshd.pid')])).stdout);
    expect(isAlive(sshd)).toBe(true);

    await ea.close();
    await pool.cleanup();
    await pool.cleanup();
    expect(processesOf(a.uid)).toEqual([]);
    expect(isAlive(sshd)).toBe(false);
    for (const h of [a, b]) {
      expect((await execa('id', [h.user], { reject: false })).exitCode).not.toBe(0);
      expect(existsSync(h.home)).toBe(false);
    }
    expect(existsSync(pool.dir)).toBe(false);
  });
});
