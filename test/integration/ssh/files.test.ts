// SshFiles and the Machine of a Host over real sshd: one ssh call per method, contents never in an argv.
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Machine } from '../../../src/exec/executor.js';
import { SshExecutor } from '../../../src/exec/ssh-executor.js';
import { connectSshMachine } from '../../../src/exec/ssh-files.js';
import { allArgv } from '../../helpers/procs.js';
import { useSshd, type TestHost } from '../../helpers/sshd.js';
import { removeTree } from '../../helpers/remove-tree.js';

const env = useSshd();
const state = mkdtempSync(join(tmpdir(), 'agentctl-ssh-files-'));
let a: TestHost;
let e: SshExecutor;
let m: Machine;

beforeAll(async () => {
  a = await env.pool.host('gpu1');
  e = new SshExecutor({ name: 'gpu1', ssh: a.ssh, dir: join(state, 'ssh'), home: '/root' });
  m = await connectSshMachine(e);
});
afterAll(async () => {
  await e?.close();
  removeTree(state);
});

describe('Machine over ssh', () => {
  it("knows the host user's home", () => {
    expect([m.name, m.home]).toEqual(['gpu1', a.home]);
  });

  it('creates folders, writes, lists, reads, tails and removes files as the host user, one call each', async () => {
    const dir = join(m.home, 'run', "odd 'name' $(x)");
    const before = e.stats.clients;
    await m.files.mkdir(dir);
    const files = [
      { path: join(dir, 'a.exit'), content: '0\n' },
      { path: join(dir, 'log'), content: 'l1\nl2\nl3 ünï\n', mode: 0o640 },
    ];
    await m.files.write(files.slice(0, 1), { durable: false });
    await m.files.write(files.slice(1));
    expect((await m.files.list(dir)).sort()).toEqual(['a.exit', 'log']);
    const read = await m.files.read([files[0]!.path, join(dir, 'missing'), files[1]!.path]);
    expect([...read].map(([p, c]) => [p, c.text])).toEqual([
      [files[0]!.path, '0\n'],
      [files[1]!.path, 'l1\nl2\nl3 ünï\n'],
    ]);
    expect(await m.files.tail(files[1]!.path, 9)).toBe('l3 ünï\n');
    expect(await m.files.tail(join(dir, 'missing'), 9)).toBeNull();
    await m.files.remove([files[0]!.path, join(dir, 'never-there')]);
    expect(await m.files.list(dir)).toEqual(['log']);
    expect(e.stats.clients - before).toBe(9);
    // Owned by the host's user, with the modes asked for.
    const s = statSync(files[1]!.path);
    expect([s.uid, s.mode & 0o777, statSync(dir).mode & 0o777]).toEqual([a.uid, 0o640, 0o700]);
    expect(readdirSync(dir)).toEqual(['log']);
  });

  it('lists a missing folder as empty and does not hang on a FIFO', async () => {
    expect(await m.files.list(join(m.home, 'nope'))).toEqual([]);
    const fifo = join(m.home, 'fifo');
    await execa('mkfifo', [fifo]);
    expect((await m.files.read([fifo])).size).toBe(0);
    expect(await m.files.tail(fifo, 10)).toBeNull();
  });

  it('keeps file contents out of every argv while writing', async () => {
    const secret = `sec-${randomBytes(12).toString('hex')}`;
    const content = `${secret}\n${'x'.repeat(8_000_000)}`;
    const writing = m.files.write([{ path: join(m.home, 'big.env'), content }]);
    let done = false;
    void writing.finally(() => (done = true));
    while (!done) {
      for (const p of allArgv()) expect(p.argv.join(' ')).not.toContain(secret);
      await new Promise((r) => setTimeout(r, 10));
    }
    await writing;
    const back = await m.files.read([join(m.home, 'big.env')]);
    expect(back.get(join(m.home, 'big.env'))?.text === content).toBe(true);
    expect(statSync(join(m.home, 'big.env')).mode & 0o777).toBe(0o600);
  });
});
