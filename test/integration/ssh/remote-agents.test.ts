// Agents on two Hosts at once, driven by one controller over real sshd: create, edit, restart, delete, files, env, logs, get.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, waitFor, type Sandbox } from '../../helpers/cli.js';
import { startController, type RunningController } from '../../helpers/controller.js';
import { hostYaml, killRemoteTmux, remoteAgentYaml, remoteSessions, waitAgents } from '../../helpers/remote.js';
import { useSshd, type TestHost } from '../../helpers/sshd.js';

const env = useSshd();
const socket = `agentctl-test-${randomBytes(5).toString('hex')}`;
let a: TestHost, b: TestHost;
let sb: Sandbox;
let ctl: RunningController;

beforeAll(async () => {
  [a, b] = await Promise.all([env.pool.host('gpu1'), env.pool.host('gpu2')]);
  sb = sandbox(socket);
  sb.write('hosts.yaml', `${hostYaml('gpu1', a)}---\n${hostYaml('gpu2', b)}`);
  sb.write('a1.yaml', remoteAgentYaml('a1', 'gpu1', ['sleep', '1000']));
  sb.write(
    'b1.yaml',
    remoteAgentYaml(
      'b1',
      'gpu2',
      ['sh', '-c', 'echo "hello $GREETING from $(pwd) as $(id -un)"; cat notes/todo.txt; exec sleep 1000'],
      { workdir: '~/work/b1', env: { GREETING: 'hi there' }, files: { 'notes/todo.txt': 'line one\n' } },
    ),
  );
});

afterAll(async () => {
  await ctl?.stop();
  await Promise.all([a && killRemoteTmux(a, socket), b && killRemoteTmux(b, socket)]);
  sb?.cleanup();
});

describe('agents on two hosts', () => {
  it("start on their own host, as that host's user, with workdir, files and env there", async () => {
    ctl = await startController(sb, ['--resync', '2s']);
    const got = await waitAgents(sb, ['a1', 'b1'], (i) => i.phase === 'Running' && i.ready);
    expect([got.get('a1')!.host, got.get('b1')!.host]).toEqual(['gpu1', 'gpu2']);
    const [sa, sbs] = await Promise.all([remoteSessions(a, socket), remoteSessions(b, socket)]);
    expect([...sa.keys()]).toEqual(['a1']);
    expect([...sbs.keys()]).toEqual(['b1']);
    expect(a.pids()).toContain(sa.get('a1')!.pid);
    expect(b.pids()).toContain(sbs.get('b1')!.pid);
    expect(readFileSync(`${b.home}/work/b1/notes/todo.txt`, 'utf8')).toBe('line one\n');
    expect(statSync(`${b.home}/work/b1/notes/todo.txt`).uid).toBe(b.uid);
    const logs = await waitFor(async () => {
      const r = await sb.run(['logs', 'b1']);
      return r.stdout.includes('line one') ? r : undefined;
    });
    expect(logs.stdout).toContain(`hello hi there from ${b.home}/work/b1 as ${b.user}`);
  });

  it('shows HOST in get -o wide and the hosts in get hosts', async () => {
    const wide = await sb.run(['get', '-o', 'wide']);
    expect(wide.stdout).toMatch(/a1\s+tmux\s+Running\s+Running\s+True.*gpu1/);
    const hosts = await waitFor(async () => {
      const r = await sb.run(['get', 'hosts', '-o', 'json']);
      const items = (
        JSON.parse(r.stdout) as {
          items: {
            name: string;
            reachable: string;
            tmuxVersion: string | null;
            agents: Record<string, number>;
            latencyMs: number | null;
          }[];
        }
      ).items;
      return items.every((i) => i.reachable === 'True') ? items : undefined;
    });
    expect(hosts.map((h) => [h.name, h.reachable, h.tmuxVersion, h.agents])).toEqual([
      ['gpu1', 'True', 'tmux 3.3a', { Running: 1 }],
      ['gpu2', 'True', 'tmux 3.3a', { Running: 1 }],
    ]);
    expect(hosts.every((h) => typeof h.latencyMs === 'number')).toBe(true);
    const table = await sb.run(['get', 'hosts']);
    expect(table.stdout).toMatch(/^NAME\s+REACHABLE\s+LATENCY\s+TMUX\s+AGENTS/);
    expect(table.stdout).toMatch(/gpu1\s+True\s+\d+ms\s+tmux 3.3a\s+1 Running/);
  });

  it('recreates an edited agent on its host, and restarts one on request', async () => {
    const before = await remoteSessions(a, socket);
    sb.write('a1.yaml', remoteAgentYaml('a1', 'gpu1', ['sleep', '2000']));
    await waitFor(async () => {
      const s = (await remoteSessions(a, socket)).get('a1');
      return s !== undefined && s.window !== before.get('a1')!.window && !s.dead;
    }, 30_000);
    const b1 = (await remoteSessions(b, socket)).get('b1')!;
    const r = await sb.run(['restart', 'b1']);
    expect(r.exitCode).toBe(0);
    const after = await waitAgents(
      sb,
      ['a1', 'b1'],
      (i) => i.phase === 'Running' && (i.name !== 'b1' || i.restarts === 1),
    );
    expect(after.get('b1')!.restarts).toBe(1);
    const nb1 = (await remoteSessions(b, socket)).get('b1')!;
    expect(nb1.window).not.toBe(b1.window);
    const ps = await execa('ps', ['-o', 'args=', '-p', String((await remoteSessions(a, socket)).get('a1')!.pid)], {
      reject: false,
    });
    expect(String(ps.stdout)).toContain('/bin/sh -c');
  });

  it('stops and forgets a deleted agent on its host, and leaves the other host alone', async () => {
    const b1 = (await remoteSessions(b, socket)).get('b1')!;
    sb.remove('a1.yaml');
    await waitFor(async () => !(await remoteSessions(a, socket)).has('a1'), 30_000);
    await waitFor(async () => !(await sb.run(['get', '-o', 'json'])).stdout.includes('"a1"'));
    expect((await remoteSessions(b, socket)).get('b1')!.window).toBe(b1.window);
  });

  it('diff is clean when everything is in sync', async () => {
    const r = await sb.run(['diff']);
    expect(r.stdout).toContain('0 change(s) pending');
    expect(r.exitCode).toBe(0);
  });
});
