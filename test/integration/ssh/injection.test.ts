// Hostile words over real ssh run nothing on the remote side, and no secret shows in any argv on either side.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshExecutor } from '../../../src/exec/ssh-executor.js';
import { corpusWith, randomWords } from '../../helpers/injection-corpus.js';
import { allArgv } from '../../helpers/procs.js';
import { useSshd, type TestHost } from '../../helpers/sshd.js';
import { removeTree } from '../../helpers/remove-tree.js';

const env = useSshd();
const state = mkdtempSync(join(tmpdir(), 'agentctl-ssh-inject-'));
let a: TestHost;
let e: SshExecutor;
let canary: string;

beforeAll(async () => {
  a = await env.pool.host('gpu1');
  e = new SshExecutor({ name: 'gpu1', ssh: a.ssh, dir: join(state, 'ssh'), home: '/root' });
  canary = join(a.home, 'pwned');
});
afterAll(async () => {
  await e?.close();
  removeTree(state);
});

const echoBack = async (words: string[]): Promise<string[]> => {
  const r = await e.run('printf', ['%s\\0', ...words]);
  expect(r.exitCode).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
};

describe('the injection corpus over ssh', () => {
  it('arrives as literal arguments', async () => {
    const words = corpusWith(canary);
    expect(await echoBack(words)).toEqual(words);
    expect(await echoBack(randomWords(7, 300))).toEqual(randomWords(7, 300));
    expect(existsSync(canary)).toBe(false);
  });

  it('runs nothing as a program name, a directory or an environment value', async () => {
    for (const word of corpusWith(canary).filter((w) => w !== '' && !w.includes('\0'))) {
      const asProgram = await e.run(word, ['x']);
      expect(asProgram.exitCode).not.toBe(0);
      const asCwd = await e.run('true', [], { cwd: word });
      expect([0, 127]).toContain(asCwd.exitCode);
      const asEnv = await e.run('sh', ['-c', 'printf "%s" "$V"'], { env: { V: word } });
      expect(asEnv.stdout).toBe(word);
    }
    expect(existsSync(canary)).toBe(false);
  });
});

describe('secrets', () => {
  it('never appear in the argv of any process, ours or the remote user’s, during a run', async () => {
    const secretEnv = `tok-${randomBytes(12).toString('hex')}`;
    const secretInput = `in-${randomBytes(12).toString('hex')}`;
    const run = e.run('sh', ['-c', 'cat >/dev/null; sleep 2; printf "%s" "$API_TOKEN"'], {
      env: { API_TOKEN: secretEnv },
      input: secretInput,
      cwd: '/tmp',
    });
    let done = false;
    void run.finally(() => (done = true));
    let sawRemote = false;
    let scans = 0;
    while (!done) {
      for (const p of allArgv()) {
        const argv = p.argv.join(' ');
        expect(argv).not.toContain(secretEnv);
        expect(argv).not.toContain(secretInput);
        if (p.uid === a.uid && argv.includes('sleep 2')) sawRemote = true;
      }
      scans++;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect((await run).stdout).toBe(secretEnv);
    expect(sawRemote).toBe(true);
    // The scan ran while the remote side was busy (sawRemote); how often depends on the machine.
    expect(scans).toBeGreaterThan(1);
  });
});
