// A Host behind a jump chain of two, driven by `reconcile --once`; `attach` to its agent over `ssh -t`.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, sandbox, waitFor, type Sandbox } from '../../helpers/cli.js';
import { hostYaml, items, killRemoteTmux, remoteAgentYaml, remoteSessions } from '../../helpers/remote.js';
import { useSshd, type TestHost } from '../../helpers/sshd.js';
import { testTmux, type TestTmux } from '../../helpers/tmux.js';

const env = useSshd();
const socket = `agentctl-test-${randomBytes(5).toString('hex')}`;
let hop1: TestHost, hop2: TestHost, target: TestHost;
let sb: Sandbox;
let term: TestTmux;

beforeAll(async () => {
  [hop1, hop2, target] = await Promise.all([env.pool.host('hop1'), env.pool.host('hop2'), env.pool.host('hpc')]);
  sb = sandbox(socket);
  term = testTmux();
});
afterAll(async () => {
  await term?.kill();
  if (target) await killRemoteTmux(target, socket);
  sb?.cleanup();
});

describe('a Host behind two jump hosts', () => {
  it('runs its agents on the target, and attach reaches them with a terminal', async () => {
    sb.write('hosts.yaml', hostYaml('hpc', target, {}, { jump: [hop1.hop, hop2.hop] }));
    sb.write('a.yaml', remoteAgentYaml('job', 'hpc', ['sh', '-c', 'echo "on $(id -un)"; while IFS= read -r l; do echo "got: $l"; done']));
    const once = await sb.run(['reconcile', '--once']);
    expect(once.exitCode).toBe(0);
    expect((await items(sb)).get('job')).toMatchObject({ phase: 'Running', host: 'hpc' });
    expect([...(await remoteSessions(target, socket)).keys()]).toEqual(['job']);
    expect((await sb.run(["logs", "job"])).stdout).toBe(`on ${target.user}`);

    // attach from a terminal (a local tmux pane): what is typed reaches the agent on the target.
    const cmd = ['env', ...Object.entries(sb.env).map(([k, v]) => `${k}=${v}`), 'node', CLI, 'attach', 'job'];
    await term.run('new-session', '-d', '-s', 'tty', '-x', '120', '-y', '30', '--', ...cmd);
    // Keep the pane once attach has ended, to read how it ended.
    await term.run('set-option', '-t', 'tty', 'remain-on-exit', 'on');
    await waitFor(async () => (await term.run('capture-pane', '-p', '-t', 'tty')).stdout.includes(`on ${target.user}`), 20_000);
    // The attach's connection goes through both hops: each holds a session of its user.
    expect([hop1.pids().length > 0, hop2.pids().length > 0]).toEqual([true, true]);
    await term.run('send-keys', '-t', 'tty', '-l', 'hello over ssh');
    await term.run('send-keys', '-t', 'tty', 'Enter');
    await waitFor(async () => (await term.run('capture-pane', '-p', '-t', 'tty')).stdout.includes('got: hello over ssh'), 20_000);
    // Detach (the remote tmux's prefix, then d, apart as a person types them): attach ends with
    // status 0 and the agent keeps running. Its "[detached ...]" line is not waited for: on a
    // busy machine the screen was found blank once attach had ended (the line lost as the remote
    // client's terminal was torn down), though the detach itself had worked.
    const detach = async (): Promise<void> => {
      await term.run('send-keys', '-t', 'tty', 'C-b');
      await new Promise((r) => setTimeout(r, 100));
      await term.run('send-keys', '-t', 'tty', 'd');
    };
    const paneEnded = async (): Promise<string | false> => {
      const st = (await term.run('display-message', '-p', '-t', 'tty', '#{pane_dead} #{pane_dead_status}')).stdout.trim();
      return st.startsWith('1 ') && st;
    };
    await detach();
    // Once in a full parallel run the first C-b d did not end attach within 20 s (cause not found;
    // never seen when this file runs alone, also under load): the keys are pressed again, as a
    // person would, and a second miss fails with the screen.
    let ended = await waitFor(paneEnded, 10_000).catch(() => false as const);
    if (!ended) {
      process.stdout.write('[measure] remote-jump: the first C-b d did not end attach within 10 s; pressed again\n');
      await detach();
      ended = await waitFor(paneEnded, 20_000).catch(async (e: Error) => {
        throw new Error(`${e.message}; pane:\n${(await term.run('capture-pane', '-p', '-t', 'tty')).stdout}`);
      });
    }
    expect(ended).toBe('1 0');
    expect((await remoteSessions(target, socket)).get('job')!.dead).toBe(false);
    expect((await sb.run(['logs', 'job'])).stdout).toContain('got: hello over ssh');
    const ps = await execa('ps', ['-e', '-o', 'args='], { reject: false });
    expect(String(ps.stdout)).not.toMatch(/ssh .*attach-session/);
  });
});
