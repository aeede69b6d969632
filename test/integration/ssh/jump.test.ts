// A Host behind a jump chain of two (controller → hop1 → hop2 → target), over real sshd.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HostUnreachableError } from '../../../src/exec/ssh-errors.js';
import { SshExecutor } from '../../../src/exec/ssh-executor.js';
import { useSshd } from '../../helpers/sshd.js';
import { allArgv } from '../../helpers/procs.js';
import { removeTree } from '../../helpers/remove-tree.js';

const env = useSshd();
const state = mkdtempSync(join(tmpdir(), 'agentctl-ssh-jump-'));
const executors: SshExecutor[] = [];
afterAll(async () => {
  await Promise.all(executors.map((e) => e.close()));
  removeTree(state);
});

describe('jump chain', () => {
  it('runs on the target through both hops, each hop with the Host’s key and known_hosts', async () => {
    const [hop1, hop2, target] = await Promise.all([
      env.pool.host('hop1'),
      env.pool.host('hop2'),
      env.pool.host('hpc'),
    ]);
    const e = new SshExecutor({
      name: 'hpc',
      ssh: { ...target.ssh, jump: [hop1.hop, hop2.hop] },
      dir: join(state, 'ssh'),
      home: '/root',
    });
    executors.push(e);
    const r = await e.run('sh', ['-c', 'id -un; printf "%s" "$SSH_CONNECTION"'], { input: 'x' });
    expect(r.exitCode).toBe(0);
    const [user, connection] = r.stdout.split('\n');
    expect(user).toBe(target.user);
    // The target sees its client coming from hop2's side of the chain, not from us directly.
    expect(connection).toMatch(new RegExp(` ${target.address.replaceAll('.', '\\.')} ${target.port}$`));
    // Each hop holds a session of its own user: the chain really went through both.
    expect(hop1.pids().length).toBeGreaterThan(0);
    expect(hop2.pids().length).toBeGreaterThan(0);
    // The jump processes run with our config file, so the identity and known_hosts reach them.
    const jumps = allArgv().filter((p) => p.argv[0] === 'ssh' && p.argv.includes('-W'));
    expect(jumps.length).toBeGreaterThan(0);
    for (const j of jumps) expect(j.argv).toContain('-F');
  });

  it('names the hop that refused, not the target', async () => {
    const [hop, target] = await Promise.all([env.pool.host('hop3'), env.pool.host('hpc2')]);
    await hop.refuse();
    const e = new SshExecutor({
      name: 'hpc2',
      ssh: { ...target.ssh, jump: [hop.hop] },
      dir: join(state, 'ssh'),
      home: '/root',
    });
    executors.push(e);
    const err = await e.run('true', []).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(HostUnreachableError);
    expect((err as HostUnreachableError).reason).toBe('refused');
    expect((err as HostUnreachableError).stderr).toContain(`connect to host ${hop.address} port ${hop.port}`);
  });
});
