// The tmux runtime of a Host over real sshd, in process: calls per step, sendKeys, capture, logs, stop and exits.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteRuntimes, type RemoteRuntimes } from '../../../src/hosts/remote-runtimes.js';
import type { Runtime, StartRequest } from '../../../src/runtime/types.js';
import { prepareStart } from '../../../src/workspace/prepare.js';
import type { DesiredAgent } from '../../../src/spec/load.js';
import { AgentDocument } from '../../../src/spec/schema.js';
import { waitFor } from '../../helpers/cli.js';
import { killRemoteTmux } from '../../helpers/remote.js';
import { useSshd, type TestHost } from '../../helpers/sshd.js';
import { removeTree } from '../../helpers/remove-tree.js';

const env = useSshd();
const state = mkdtempSync(join(tmpdir(), 'agentctl-remote-rt-'));
const socket = `agentctl-test-${randomBytes(5).toString('hex')}`;
let a: TestHost;
let r: RemoteRuntimes;
let rt: Runtime;

const agent = (name: string, command: string[], spec: Record<string, unknown> = {}): DesiredAgent => {
  const document = AgentDocument.parse({
    apiVersion: 'agentctl/v1',
    kind: 'Agent',
    metadata: { name },
    spec: { command, host: 'gpu1', ...spec },
  });
  return { name, file: 'x.yaml', line: 1, document, spec: document.spec, hash: 'a'.repeat(64), remoteHost: 'gpu1' };
};

beforeAll(async () => {
  a = await env.pool.host('gpu1');
  r = remoteRuntimes({
    name: 'gpu1',
    spec: { ssh: a.ssh, slurm: false, tmuxSocket: socket },
    sshDir: join(state, 'ssh'),
    controllerHome: '/root',
    defaultSocket: 'unused',
    owner: 'me@test',
    workdirs: () => ['~/agents'],
    log: pino({ level: 'silent' }),
  });
  rt = r.runtimes.get('tmux@gpu1')!;
});
afterAll(async () => {
  await r?.host.close();
  if (a) await killRemoteTmux(a, socket);
  removeTree(state);
});

describe('the remote tmux runtime', () => {
  it('observes with one ssh client, hello and preflight included on the first', async () => {
    const before = r.host.ssh.stats;
    const o = await rt.observe();
    expect(o.agents.size).toBe(0);
    expect(r.host.ssh.stats.clients - before.clients).toBe(1);
    expect(r.host.state).toMatchObject({ reachable: true, tmuxVersion: 'tmux 3.3a' });
    expect(r.host.state.checks.map((c) => [c.name, c.ok])).toEqual([
      ['ssh', true],
      ['tmux', true],
      ['disk', true],
    ]);
    expect(r.host.known?.home).toBe(a.home);
    expect(r.host.known?.env.USER).toBe(a.user);
    await rt.observe();
    expect(r.host.ssh.stats.clients - before.clients).toBe(2);
  });

  it('prepares and starts a batch of agents in one ssh client each, and types into one', async () => {
    const machine = await r.host.machine();
    const agents = Array.from({ length: 20 }, (_, i) =>
      agent(`b${i}`, ['sh', '-c', 'echo started; IFS= read -r l; printf "%s" "$l" > typed.txt; exec sleep 100'], {
        files: { 'in/x.txt': `file ${i}` },
      }),
    );
    const before = r.host.ssh.stats.clients;
    const reqs: StartRequest[] = await Promise.all(agents.map((d) => prepareStart(d, '/root', machine)));
    expect(r.host.ssh.stats.clients - before).toBe(1);
    const out = await rt.start(reqs);
    expect(r.host.ssh.stats.clients - before).toBe(2);
    expect([...out.values()].every((o) => o.handle && !o.error)).toBe(true);
    expect(readFileSync(join(a.home, 'agents/b7/in/x.txt'), 'utf8')).toBe('file 7');
    const o = await rt.observe();
    expect([...o.agents.values()].filter((x) => x.alive && x.owner === 'me@test').length).toBe(20);

    const typed = `it's $(touch ${a.home}/pwned) \`x\` "q"`;
    await rt.sendKeys!('b3', [{ text: typed }, { key: 'Enter' }]);
    await waitFor(async () => {
      try {
        return readFileSync(join(a.home, 'agents/b3/typed.txt'), 'utf8') === typed;
      } catch {
        return false;
      }
    });
    expect((await rt.logs('b3', 10)).split('\n')[0]).toBe('started');
    expect((await rt.capture!(['b1', 'b2'])).get('b2')).toContain('started');
  });

  it('stops agents (TERM, then the sessions) and reads the exit of one that ended', async () => {
    const o = await rt.observe();
    const stop = await rt.stop(
      [...o.agents.values()]
        .filter((x) => x.name !== 'b0')
        .map((x) => ({ name: x.name, observed: x, graceSeconds: 5 })),
    );
    expect([...stop.values()].every((s) => !s.error)).toBe(true);
    const after = await rt.observe();
    expect([...after.agents.keys()]).toEqual(['b0']);
    const b0 = after.agents.get('b0')!;
    // TERM to its process group: the wrapper outlives the agent and records its status.
    await r.host.exec.run('kill', ['-s', 'TERM', '--', `-${b0.pid}`]);
    const ended = await waitFor(async () => (await rt.observe()).agents.get('b0')?.exit);
    expect([ended.code, ended.signal]).toEqual([143, 'SIGTERM']);
  });

  it('refuses a workspace file that would land outside its workdir through a symlink', async () => {
    const machine = await r.host.machine();
    await r.host.exec.run('ln', ['-s', '/tmp', `${a.home}/agents/b0/out`]);
    const err = await prepareStart(agent('b0', ['true'], { files: { 'out/evil.txt': 'x' } }), '/root', machine).catch(
      (e: Error) => e,
    );
    expect((err as Error).message).toBe('files: out/evil.txt leads outside the workdir (through a symlink) (on gpu1)');
    await r.host.exec.run('ln', ['-s', '/proc', `${a.home}/agents/kernel`]);
    const proc = await prepareStart(agent('p1', ['true'], { workdir: '~/agents/kernel/x' }), '/root', machine).catch(
      (e: Error) => e,
    );
    expect((proc as Error).message).toBe(
      `workdir ${a.home}/agents/kernel/x cannot be created: it is under /proc, /sys or /dev (on gpu1)`,
    );
  });
});
