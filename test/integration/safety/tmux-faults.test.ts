// Faults of the tmux server and of the controller itself: repair in seconds, nothing acted on blindly.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { useTmuxSandbox } from '../../helpers/fixture.js';
import { agentYaml, CLI, waitFor } from '../../helpers/cli.js';
import { startController, type RunningController } from '../../helpers/controller.js';
import { AgentRecord } from '../../../src/registry/record.js';

let ctl: RunningController | undefined;
let stopped: number | undefined;
const fx = useTmuxSandbox(async () => {
  if (stopped !== undefined) process.kill(stopped, 'SIGCONT');
  stopped = undefined;
  await ctl?.stop();
  ctl = undefined;
});

const serverPid = async (): Promise<number> =>
  Number((await fx.tmux.run('display-message', '-p', '#{pid}')).stdout.trim());

describe('repair without waiting for the resync', () => {
  it('a session killed by hand is back within seconds (resync 60s)', async () => {
    for (const n of ['a', 'b']) fx.sb.write(`${n}.yaml`, agentYaml(n, ['sleep', '600']));
    ctl = await startController(fx.sb, ['--resync', '60s']);
    const before = await waitFor(async () => {
      const s = await fx.tmux.sessions();
      return s.size === 2 && [...s.values()].every((x) => !x.dead) && s;
    });
    const t0 = Date.now();
    await fx.tmux.run('kill-session', '-t', '=a');
    const after = await waitFor(async () => {
      const s = await fx.tmux.sessions();
      const a = s.get('a');
      return a && !a.dead && a.pid !== before.get('a')!.pid && s;
    }, 15_000);
    process.stdout.write(`hand-killed session back in ${Date.now() - t0} ms\n`);
    expect(after.get('b')!.pid).toBe(before.get('b')!.pid);
  });

  it('a tmux server killed with SIGKILL: every agent is back within seconds (resync 60s)', async () => {
    for (const n of ['a', 'b', 'c']) fx.sb.write(`${n}.yaml`, agentYaml(n, ['sleep', '600']));
    ctl = await startController(fx.sb, ['--resync', '60s']);
    await waitFor(async () => (await fx.tmux.sessions()).size === 3);
    const old = await serverPid();
    const t0 = Date.now();
    process.kill(old, 'SIGKILL');
    await waitFor(async () => {
      const s = await fx.tmux.sessions();
      return s.size === 3 && [...s.values()].every((x) => !x.dead) && (await serverPid()) !== old;
    }, 20_000);
    process.stdout.write(`killed tmux server: all agents back in ${Date.now() - t0} ms\n`);
  });
});

describe('a tmux server that does not answer', () => {
  it('SIGSTOPped: --once ends by its timeout naming the runtime, diff exits 2, nothing is started twice', async () => {
    for (const n of ['a', 'b']) fx.sb.write(`${n}.yaml`, agentYaml(n, ['sleep', '600']));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    const pids = new Map([...(await fx.tmux.sessions())].map(([n, s]) => [n, s.pid]));
    stopped = await serverPid();
    process.kill(stopped, 'SIGSTOP');
    fx.sb.write('c.yaml', agentYaml('c', ['sleep', '600']));
    const t0 = Date.now();
    const once = await fx.sb.run(['reconcile', '--once', '--timeout', '3s'], {}, 40_000);
    const took = Date.now() - t0;
    expect(once.exitCode).toBe(1);
    expect(once.stdout).toMatch(/tmux: cannot observe: did not answer/);
    expect(once.stdout).not.toMatch(/already exists/);
    process.stdout.write(`--once --timeout 3s against a stopped tmux server returned in ${took} ms\n`);
    // Nobody could look at a and b: get says Unknown, not their last Running/True.
    const items = JSON.parse((await fx.sb.run(['get', '-o', 'json'])).stdout).items as {
      name: string;
      phase: string;
      ready: boolean;
    }[];
    for (const n of ['a', 'b'])
      expect(items.find((i) => i.name === n)).toMatchObject({ phase: 'Unknown', ready: false });
    const diff = await fx.sb.run(['diff'], {}, 40_000);
    expect(diff.exitCode).toBe(2);
    expect(diff.stderr).toMatch(/cannot observe tmux/);
    process.kill(stopped, 'SIGCONT');
    stopped = undefined;
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    const now = await fx.tmux.sessions();
    expect(now.get('a')!.pid).toBe(pids.get('a'));
    expect(now.get('b')!.pid).toBe(pids.get('b'));
    expect(now.has('c')).toBe(true);
  });
});

describe('kill -9 of reconcile --once at random moments', () => {
  it('200 agents: no duplicate, no orphan, no unreadable record, and the next run converges', async () => {
    const N = 200;
    for (let i = 0; i < N; i++) fx.sb.write(`a${i}.yaml`, agentYaml(`a${i}`, ['sleep', '600']));
    for (let round = 0; round < 3; round++) {
      const p = execa('node', [CLI, 'reconcile', '--once'], { env: fx.sb.env, reject: false, cwd: fx.sb.dir });
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 1200));
      p.kill('SIGKILL');
      await p;
      // Every record on disk is whole, whatever moment the kill hit.
      const dir = join(fx.sb.state, 'registry');
      for (const f of (existsSync(dir) ? readdirSync(dir) : []).filter((x) => x.endsWith('.json')))
        expect(() => AgentRecord.parse(JSON.parse(readFileSync(join(dir, f), 'utf8'))), f).not.toThrow();
    }
    const last = await fx.sb.run(['reconcile', '--once', '--timeout', '120s'], {}, 150_000);
    expect(last.exitCode, last.stdout.slice(-500)).toBe(0);
    const s = await fx.tmux.sessions();
    expect(s.size).toBe(N);
    expect([...s.values()].filter((x) => x.dead)).toEqual([]);
    const out = (await fx.tmux.run('list-sessions', '-F', '#{session_name}')).stdout.trim().split('\n');
    expect(new Set(out).size).toBe(out.length);
    // A second run finds nothing to do: no session was left unowned or unrecorded.
    const again = await fx.sb.run(['diff']);
    expect(again.exitCode, again.stdout.slice(-500)).toBe(0);
  }, 240_000);
});
