// get and describe with no controller running: never Running/Ready for a session that is gone;
// an agent --once left Unknown on an unreachable Host stays Unknown in get.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { agentYaml, waitFor } from '../../helpers/cli.js';
import { startController } from '../../helpers/controller.js';
import { useTmuxSandbox } from '../../helpers/fixture.js';

const fx = useTmuxSandbox();

interface Item {
  name: string;
  phase: string;
  ready: boolean;
  message: string;
}

async function items(): Promise<Map<string, Item>> {
  const r = await fx.sb.run(['get', '-o', 'json']);
  expect(r.exitCode, r.stderr).toBe(0);
  return new Map((JSON.parse(r.stdout) as { items: Item[] }).items.map((i) => [i.name, i]));
}

describe('get without a controller', () => {
  it('a session killed by hand, then the whole tmux server: not Running, not Ready', { timeout: 180_000 }, async () => {
    fx.sb.write('a.yaml', agentYaml('a', ['sleep', '1000']));
    fx.sb.write('b.yaml', agentYaml('b', ['sleep', '1000']));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    expect([...(await items()).values()].map((i) => [i.phase, i.ready])).toEqual([
      ['Running', true],
      ['Running', true],
    ]);

    await fx.tmux.run('kill-session', '-t', 'a');
    const one = await items();
    expect(one.get('a')).toMatchObject({ phase: 'Pending', ready: false });
    expect(one.get('a')!.message).toMatch(/^not running: its session is gone and no controller runs to restart it/);
    expect(one.get('b')).toMatchObject({ phase: 'Running', ready: true });
    const d = await fx.sb.run(['describe', 'a']);
    expect(d.stdout).toMatch(/^Phase:\s+Pending$/m);
    expect(d.stdout).toMatch(/^Ready:\s+False$/m);

    await fx.tmux.kill();
    const table = await fx.sb.run(['get']);
    // NAME RUNTIME DESIRED PHASE READY ...: the phase and ready columns.
    const rows = table.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/).slice(3, 5));
    expect(rows).toEqual([
      ['Pending', 'False'],
      ['Pending', 'False'],
    ]);
    expect([...(await items()).values()].map((i) => [i.name, i.phase, i.ready])).toEqual([
      ['a', 'Pending', false],
      ['b', 'Pending', false],
    ]);
  });

  it('with a controller running, get shows its records (it repairs the session)', async () => {
    fx.sb.write('a.yaml', agentYaml('a', ['sleep', '1000']));
    const ctl = await startController(fx.sb, []);
    try {
      await waitFor(async () => (await items()).get('a')?.phase === 'Running');
      await fx.tmux.run('kill-session', '-t', 'a');
      await waitFor(async () => {
        const a = (await items()).get('a');
        return a?.phase === 'Running' && a.ready;
      }, 20_000);
    } finally {
      await ctl.stop();
    }
  });
});

describe('get after --once left an agent Unknown on an unreachable Host', () => {
  it('shows it Unknown with the fix, not Pending "not reconciled yet"', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    fx.sb.write(
      'gpu.yaml',
      `apiVersion: agentctl/v1\nkind: Host\nmetadata: {name: gpu1}\nspec: {ssh: {host: 127.0.0.1, port: ${port}, connectTimeoutSeconds: 2}}\n`,
    );
    fx.sb.write('t.yaml', agentYaml('t', ['sleep', '1000'], { host: 'gpu1', workdir: '~/t' }));
    const once = await fx.sb.run(['reconcile', '--once', '--timeout', '10s']);
    expect(once.exitCode).toBe(1);
    expect(once.stdout + once.stderr).toMatch(/Unknown/);
    const t = (await items()).get('t')!;
    expect(t.phase).toBe('Unknown');
    expect(t.message).toMatch(new RegExp(`host gpu1 unreachable: start sshd on 127\\.0\\.0\\.1 port ${port}`));
  });
});
