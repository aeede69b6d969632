// Unreachable Hosts under a running controller: one refused, one hung (SIGSTOP), the third host's agents converge as usual; their return restarts nothing.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, waitFor, type Sandbox } from '../../helpers/cli.js';
import { startController, type RunningController } from '../../helpers/controller.js';
import { hostYaml, items, killRemoteTmux, remoteAgentYaml, remoteSessions, waitAgents } from '../../helpers/remote.js';
import { useSshd, type TestHost } from '../../helpers/sshd.js';

const env = useSshd();
const socket = `agentctl-test-${randomBytes(5).toString('hex')}`;
let refused: TestHost, hung: TestHost, ok: TestHost;
let sb: Sandbox;
let ctl: RunningController;
const sleeper = ['sleep', '1000'];

beforeAll(async () => {
  [refused, hung, ok] = await Promise.all([env.pool.host('h1'), env.pool.host('h2'), env.pool.host('h3')]);
  sb = sandbox(socket);
  sb.write('hosts.yaml', [hostYaml('h1', refused), hostYaml('h2', hung), hostYaml('h3', ok)].join('---\n'));
  for (const h of ['h1', 'h2', 'h3'])
    for (const i of [1, 2]) sb.write(`${h}-${i}.yaml`, remoteAgentYaml(`${h}-a${i}`, h, sleeper));
});

afterAll(async () => {
  hung?.resume();
  await ctl?.stop();
  await Promise.all([refused, hung, ok].map((h) => h && killRemoteTmux(h, socket)));
  sb?.cleanup();
});

const all = ['h1-a1', 'h1-a2', 'h2-a1', 'h2-a2', 'h3-a1', 'h3-a2'];

describe('unreachable hosts', () => {
  it('leave their agents Unknown with HostUnreachable and a fix, while the other host converges', async () => {
    ctl = await startController(sb, ['--resync', '2s']);
    await waitAgents(sb, all, (i) => i.phase === 'Running');
    const pids = { h1: await remoteSessions(refused, socket), h2: await remoteSessions(hung, socket) };

    await refused.refuse();
    hung.hang();
    // A new agent on the healthy host, and an edit there, converge while the other two are down.
    sb.write('h3-3.yaml', remoteAgentYaml('h3-a3', 'h3', sleeper));
    sb.write('h3-1.yaml', remoteAgentYaml('h3-a1', 'h3', ['sleep', '1001']));
    // And changes to agents of the down hosts wait: nothing is started elsewhere.
    sb.write('h1-1.yaml', remoteAgentYaml('h1-a1', 'h1', ['sleep', '1002']));
    sb.remove('h2-2.yaml');
    await waitFor(async () => {
      const s = await remoteSessions(ok, socket);
      return s.has('h3-a3') && !s.get('h3-a3')!.dead ? s : undefined;
    }, 20_000);

    const got = await waitAgents(sb, ['h1-a1', 'h1-a2', 'h2-a1', 'h2-a2'], (i) => i.phase === 'Unknown', 45_000);
    const h1 = got.get('h1-a2')!;
    expect(h1.message).toBe(
      `start sshd on ${refused.address} port ${refused.port}, or correct spec.ssh.host/port of Host h1`,
    );
    expect(h1.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'HostUnreachable' });
    expect(h1.conditions.find((c) => c.type === 'HostReady')).toMatchObject({
      status: 'False',
      reason: 'HostUnreachable',
      message: h1.message,
    });
    const h2 = got.get('h2-a1')!;
    expect(h2.conditions.find((c) => c.type === 'HostReady')).toMatchObject({
      status: 'False',
      reason: 'HostUnreachable',
    });
    expect(h2.message).toMatch(/dropped|stopped answering|did not answer within 3s/);
    const hosts = JSON.parse((await sb.run(['get', 'hosts', '-o', 'json'])).stdout) as {
      items: { name: string; reachable: string }[];
    };
    expect(hosts.items.map((h) => [h.name, h.reachable])).toEqual([
      ['h1', 'False'],
      ['h2', 'False'],
      ['h3', 'True'],
    ]);
    const h3 = await waitAgents(sb, ['h3-a1', 'h3-a2', 'h3-a3'], (i) => i.phase === 'Running' && i.ready);
    expect(h3.size).toBeGreaterThan(0);
    // Nothing of the down hosts landed on the healthy one.
    expect([...(await remoteSessions(ok, socket)).keys()].sort()).toEqual(['h3-a1', 'h3-a2', 'h3-a3']);

    // Back: observed and adopted as they are (same sessions), then the pending changes applied.
    await refused.restart();
    hung.resume();
    await waitAgents(sb, ['h1-a1', 'h1-a2', 'h2-a1'], (i) => i.phase === 'Running' && i.ready, 45_000);
    await waitFor(async () => !(await remoteSessions(hung, socket)).has('h2-a2'), 30_000);
    const after = { h1: await remoteSessions(refused, socket), h2: await remoteSessions(hung, socket) };
    expect(after.h1.get('h1-a2')!.pid).toBe(pids.h1.get('h1-a2')!.pid);
    expect(after.h2.get('h2-a1')!.pid).toBe(pids.h2.get('h2-a1')!.pid);
    // The edit made while h1 was down is applied once it is back.
    await waitFor(
      async () => (await remoteSessions(refused, socket)).get('h1-a1')!.window !== pids.h1.get('h1-a1')!.window,
      30_000,
    );
    const final = await items(sb);
    expect(final.get('h1-a2')!.restarts).toBe(0);
    expect(final.get('h2-a1')!.restarts).toBe(0);
    expect(final.get('h1-a2')!.conditions.find((c) => c.type === 'HostReady')).toMatchObject({
      status: 'True',
      reason: 'HostReady',
    });
  });
});
