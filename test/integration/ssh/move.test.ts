// A changed placement under a running controller: the agent stops on the old Host, starts on the new one, and `get` names where it runs.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, waitFor, type Sandbox } from '../../helpers/cli.js';
import { startController, type RunningController } from '../../helpers/controller.js';
import { hostYaml, killRemoteTmux, remoteAgentYaml, remoteSessions, waitAgents } from '../../helpers/remote.js';
import { useSshd, type TestHost } from '../../helpers/sshd.js';

const env = useSshd();
const socket = `agentctl-test-${randomBytes(5).toString('hex')}`;
let h1: TestHost, h2: TestHost;
let sb: Sandbox;
let ctl: RunningController;
const sleeper = ['sleep', '1000'];

const alive = async (h: TestHost, name: string): Promise<number | undefined> => {
  const s = (await remoteSessions(h, socket)).get(name);
  return s && !s.dead ? s.pid : undefined;
};

beforeAll(async () => {
  [h1, h2] = await Promise.all([env.pool.host('h1'), env.pool.host('h2')]);
  sb = sandbox(socket);
  sb.write('hosts.yaml', [hostYaml('h1', h1), hostYaml('h2', h2)].join('---\n'));
  sb.write('mover.yaml', remoteAgentYaml('mover', 'h1', sleeper));
  sb.write('stay.yaml', remoteAgentYaml('stay', 'h1', sleeper));
}, 60_000);

afterAll(async () => {
  await ctl?.stop();
  await Promise.all([h1, h2].map((h) => h && killRemoteTmux(h, socket)));
  sb?.cleanup();
});

describe('moving an agent to another Host', () => {
  it('stops it on the old host, starts it on the new one, and the status names the new one', async () => {
    ctl = await startController(sb, ['--resync', '2s']);
    await waitAgents(sb, ['mover', 'stay'], (i) => i.phase === 'Running' && i.ready);
    const stayPid = await alive(h1, 'stay');
    expect(await alive(h1, 'mover')).toBeDefined();

    sb.write('mover.yaml', remoteAgentYaml('mover', 'h2', sleeper));
    const moved = await waitFor(async () => ((await alive(h2, 'mover')) !== undefined ? true : undefined), 30_000);
    expect(moved).toBe(true);
    await waitFor(async () => ((await alive(h1, 'mover')) === undefined ? true : undefined), 30_000);
    const got = await waitAgents(sb, ['mover'], (i) => i.phase === 'Running' && i.ready && i.host === 'h2');
    const mover = got.get('mover')!;
    expect(mover.handle).toBeTruthy();
    expect(mover.restarts).toBe(0);
    // The other agent of the old host was not touched.
    expect(await alive(h1, 'stay')).toBe(stayPid);
    // A few resyncs later it is still exactly one copy, on h2.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await alive(h1, 'mover')).toBeUndefined();
    expect(await alive(h2, 'mover')).toBeDefined();
    const describe = await sb.run(['describe', 'mover']);
    expect(describe.stdout).toMatch(/Moved.*h1.*h2/);
  }, 90_000);

  it('from a host that does not answer: starts on the new one, fences the old copy and stops it once seen', async () => {
    const oldPid = await alive(h2, 'mover');
    expect(oldPid).toBeDefined();
    await h2.refuse();
    sb.write('mover.yaml', remoteAgentYaml('mover', 'h1', sleeper));
    await waitFor(async () => ((await alive(h1, 'mover')) !== undefined ? true : undefined), 45_000);
    const got = await waitAgents(sb, ['mover'], (i) => i.host === 'h1' && i.phase === 'Running', 30_000);
    const mover = got.get('mover')!;
    // It says that a copy may still run on the host it cannot reach.
    expect(mover.conditions.find((c) => c.type === 'Degraded')).toMatchObject({ status: 'True', reason: 'Fenced' });
    expect(mover.message).toMatch(/h2/);
    // The old copy still runs there (nobody could stop it) until the host answers again.
    expect(await alive(h2, 'mover')).toBe(oldPid);
    const newPid = await alive(h1, 'mover');

    await h2.restart();
    await waitFor(async () => ((await alive(h2, 'mover')) === undefined ? true : undefined), 45_000);
    const after = await waitAgents(
      sb,
      ['mover'],
      (i) => i.host === 'h1' && i.phase === 'Running' && !i.conditions.some((c) => c.reason === 'Fenced'),
      30_000,
    );
    expect(after.get('mover')!.ready).toBe(true);
    // The copy on h1 was left alone: not restarted, not doubled.
    expect(await alive(h1, 'mover')).toBe(newPid);
  }, 150_000);
});
