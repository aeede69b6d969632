// Unreachable hosts over real sshd: refused, hung (SIGSTOP) and back, unknown host key, refused key.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostUnreachableError } from '../../../src/exec/ssh-errors.js';
import { SshExecutor } from '../../../src/exec/ssh-executor.js';
import type { SshTarget } from '../../../src/spec/schema.js';
import { useSshd, type TestHost } from '../../helpers/sshd.js';
import { removeTree } from '../../helpers/remove-tree.js';

const env = useSshd();
const state = mkdtempSync(join(tmpdir(), 'agentctl-ssh-fail-'));
const executors: SshExecutor[] = [];
let a: TestHost, b: TestHost;

const executor = (name: string, ssh: SshTarget, keepaliveSeconds = 1): SshExecutor => {
  const tuning = { serverAliveIntervalSeconds: keepaliveSeconds, serverAliveCountMax: 2 };
  const e = new SshExecutor({ name, ssh, dir: join(state, 'ssh'), home: '/root', tuning });
  executors.push(e);
  return e;
};

/** The HostUnreachableError a run ends with (fails the test when it succeeds). */
async function unreachableOf(p: Promise<unknown>): Promise<HostUnreachableError> {
  const e = await p.then(
    () => new Error('expected the run to fail'),
    (err: unknown) => err,
  );
  if (!(e instanceof HostUnreachableError)) throw e;
  return e;
}

beforeAll(async () => {
  [a, b] = await Promise.all([env.pool.host('gpu1'), env.pool.host('gpu2')]);
});
afterAll(async () => {
  a?.resume();
  await Promise.all(executors.map((e) => e.close()));
  removeTree(state);
});

describe('a hung host', () => {
  it('fails its own runs within their deadline while the other host works as usual, then comes back', async () => {
    // Keepalives slower than the deadline: the deadline is what ends the hung call.
    const ea = executor('gpu1', a.ssh, 30);
    const eb = executor('gpu2', b.ssh, 30);
    expect((await ea.run('true', [])).exitCode).toBe(0);
    expect((await eb.run('true', [])).exitCode).toBe(0);
    a.hang();
    try {
      let hungSettled = false;
      const hung = unreachableOf(ea.run('echo', ['hi'], { timeoutMs: 8000 })).finally(() => (hungSettled = true));
      const others = await Promise.all(Array.from({ length: 5 }, () => eb.run('echo', ['ok'])));
      expect(others.map((r) => r.stdout)).toEqual(Array(5).fill('ok\n'));
      expect(hungSettled).toBe(false);
      const e = await hung;
      expect(e.reason).toBe('hang');
      expect(e.fix).toMatch(/gpu1 stopped answering/);

      // The master was closed: a new connection meets the stopped sshd and times out in the banner.
      const again = await unreachableOf(ea.run('echo', ['hi'], { timeoutMs: 20_000 }));
      expect(again.reason).toBe('timeout');
      expect(again.fix).toBe(
        `${a.address} port ${a.port} did not answer within 3s: check that gpu1 is up and reachable from here`,
      );
    } finally {
      a.resume();
    }
    const back = await ea.run('echo', ['back']);
    expect(back.stdout).toBe('back\n');
    expect(ea.connections).toBe(2);
  });

  it('is noticed by the master’s keepalives before a long deadline', async () => {
    const ea = executor('gpu1', a.ssh, 1);
    expect((await ea.run('true', [])).exitCode).toBe(0);
    a.hang();
    try {
      const e = await unreachableOf(ea.run('echo', ['hi'], { timeoutMs: 120_000 }));
      // Not `hang` (our deadline): the master gave up on keepalives, and the client, which
      // never connects on its own, failed with it.
      expect(e.reason).toBe('lost');
    } finally {
      a.resume();
    }
    expect((await ea.run('echo', ['back'])).stdout).toBe('back\n');
  });
});

describe('a refused host', () => {
  it('fails with the reason and a fix, and works again once its sshd is back', async () => {
    const c = await env.pool.host('gpu3');
    const ec = executor('gpu3', c.ssh);
    expect((await ec.run('true', [])).exitCode).toBe(0);
    await c.refuse();
    // The master's connection dies with the sshd; a command caught in that teardown fails as
    // `lost` (or, once in CI, with a stderr no pattern knows: `unknown`); once the master is gone,
    // connecting is refused.
    const seen: string[] = [];
    let e = await unreachableOf(ec.run('true', []));
    for (let i = 0; i < 2 && (e.reason === 'lost' || e.reason === 'unknown'); i++) {
      seen.push(`${e.reason}: ${e.message}`);
      e = await unreachableOf(ec.run('true', []));
    }
    expect(e.reason, `after ${JSON.stringify(seen)}: ${e.message}`).toBe('refused');
    expect(e.fix).toBe(`start sshd on ${c.address} port ${c.port}, or correct spec.ssh.host/port of Host gpu3`);
    await c.restart();
    expect((await ec.run('echo', ['up'])).stdout).toBe('up\n');
  });
});

describe('keys', () => {
  it('refuses a host whose key is not in known_hosts, and says how to add it', async () => {
    const empty = join(state, 'empty_known_hosts');
    writeFileSync(empty, '');
    const e = await unreachableOf(executor('gpu1', { ...a.ssh, knownHostsFile: empty }).run('true', []));
    expect(e.reason).toBe('host-key');
    expect(e.fix).toBe(`add gpu1's key to known_hosts: ssh-keyscan -p ${a.port} ${a.address} >> ${empty}`);
  });

  it('records a first-seen key with accept-new', async () => {
    const fresh = join(state, 'fresh_known_hosts');
    writeFileSync(fresh, '');
    const r = await executor('gpu1', { ...a.ssh, knownHostsFile: fresh, strictHostKeyChecking: 'accept-new' }).run(
      'true',
      [],
    );
    expect(r.exitCode).toBe(0);
    expect(readFileSync(fresh, 'utf8')).toContain('ssh-ed25519');
  });

  it('reports a key the host does not accept as an auth failure', async () => {
    const other = join(state, 'other_key');
    await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const e = await unreachableOf(executor('gpu1', { ...a.ssh, identityFile: other }).run('true', []));
    expect(e.reason).toBe('auth');
    expect(e.fix).toBe(`authorize ${other}.pub for ${a.user} on gpu1: add it to ~/.ssh/authorized_keys there`);
  });
});
