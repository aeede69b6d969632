// reconcile --once against a real tmux: converge 20 specs, then edit, delete and stop one at a time.
import { describe, expect, it } from 'vitest';
import { useTmuxSandbox } from '../../helpers/fixture.js';
import { agentYaml } from '../../helpers/cli.js';
import type { TestTmux } from '../../helpers/tmux.js';

const fx = useTmuxSandbox();

const names = Array.from({ length: 20 }, (_, i) => `agent-${String(i + 1).padStart(2, '0')}`);
const sleeper = (name: string, extra: Record<string, unknown> = {}): string =>
  agentYaml(name, ['sleep', '3600'], extra);

type Sessions = Awaited<ReturnType<TestTmux['sessions']>>;
const pids = (s: Sessions): Record<string, number> => Object.fromEntries([...s].map(([n, v]) => [n, v.pid]));
const without = (o: Record<string, number>, ...keys: string[]): Record<string, number> =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

interface Item {
  name: string;
  desiredState: string;
  phase: string;
  ready: boolean;
  specHash: string | null;
  handle: string | null;
}

async function items(): Promise<Map<string, Item>> {
  const r = await fx.sb.run(['get', '-o', 'json']);
  expect(r.exitCode).toBe(0);
  return new Map((JSON.parse(r.stdout) as { items: Item[] }).items.map((i) => [i.name, i]));
}

describe('foundation: converge and change one agent at a time', () => {
  it('converges 20 specs; an edit recreates only that agent; a deleted spec is pruned; state: Stopped stops it for good', async () => {
    for (const n of names) fx.sb.write(`${n}.yaml`, sleeper(n));

    const t0 = performance.now();
    const first = await fx.sb.run(['reconcile', '--once']);
    const convergeMs = Math.round(performance.now() - t0);
    console.log(`[foundation] reconcile --once of 20 specs: ${convergeMs} ms (exit ${first.exitCode})`);
    expect(first.stderr).not.toMatch(/"level":(50|60)/);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain('20/20 agent(s) converged');
    const s0 = await fx.tmux.sessions();
    expect([...s0.keys()].sort()).toEqual(names);
    for (const [n, s] of s0) {
      expect(s.dead, n).toBe(false);
      expect(s.hash, n).toMatch(/^[0-9a-f]{64}$/);
    }
    const before = await items();
    for (const n of names)
      expect(before.get(n), n).toMatchObject({ phase: 'Running', ready: true, specHash: s0.get(n)!.hash });

    // A second run with nothing changed touches nothing.
    const again = await fx.sb.run(['reconcile', '--once']);
    expect(again.exitCode).toBe(0);
    expect(pids(await fx.tmux.sessions())).toEqual(pids(s0));

    // Edit one: only that one gets a new process and a new hash.
    fx.sb.write('agent-05.yaml', sleeper('agent-05', { env: { X: '2' } }));
    const edit = await fx.sb.run(['reconcile', '--once']);
    expect(edit.exitCode).toBe(0);
    const s1 = await fx.tmux.sessions();
    expect(s1.size).toBe(20);
    expect(s1.get('agent-05')!.pid).not.toBe(s0.get('agent-05')!.pid);
    expect(s1.get('agent-05')!.hash).not.toBe(s0.get('agent-05')!.hash);
    expect(s1.get('agent-05')!.dead).toBe(false);
    expect(without(pids(s1), 'agent-05')).toEqual(without(pids(s0), 'agent-05'));
    expect((await items()).get('agent-05')?.specHash).toBe(s1.get('agent-05')!.hash);

    // Delete one: pruned (session and record), the rest untouched.
    fx.sb.remove('agent-07.yaml');
    const prune = await fx.sb.run(['reconcile', '--once']);
    expect(prune.exitCode).toBe(0);
    const s2 = await fx.tmux.sessions();
    expect(s2.has('agent-07')).toBe(false);
    expect(pids(s2)).toEqual(without(pids(s1), 'agent-07'));
    expect((await items()).has('agent-07')).toBe(false);

    // state: Stopped → stopped, and still stopped on the next run.
    fx.sb.write('agent-09.yaml', sleeper('agent-09', { state: 'Stopped' }));
    const stop = await fx.sb.run(['reconcile', '--once']);
    expect(stop.exitCode).toBe(0);
    const s3 = await fx.tmux.sessions();
    expect(s3.has('agent-09')).toBe(false);
    expect(pids(s3)).toEqual(without(pids(s2), 'agent-09'));
    expect((await items()).get('agent-09')).toMatchObject({ desiredState: 'Stopped', phase: 'Stopped', handle: null });

    const stays = await fx.sb.run(['reconcile', '--once']);
    expect(stays.exitCode).toBe(0);
    const s4 = await fx.tmux.sessions();
    expect(s4.has('agent-09')).toBe(false);
    expect(pids(s4)).toEqual(pids(s3));
    const diff = await fx.sb.run(['diff']);
    expect(diff.exitCode).toBe(0);

    // And back to Running starts it again.
    fx.sb.write('agent-09.yaml', sleeper('agent-09'));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    const s5 = await fx.tmux.sessions();
    expect(s5.get('agent-09')?.dead).toBe(false);
    expect(without(pids(s5), 'agent-09')).toEqual(pids(s4));
  });

  // Regression: a stop once left the agent neither settled nor requeued, so --once waited out its
  // whole --timeout (60 s by default) after any stop.
  it('reconcile --once returns promptly after stopping an agent (does not wait out --timeout)', async () => {
    for (const n of names.slice(0, 2)) fx.sb.write(`${n}.yaml`, sleeper(n));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    fx.sb.write('agent-02.yaml', sleeper('agent-02', { state: 'Stopped' }));
    const t0 = performance.now();
    // Measured against the timeout it must not wait out, not against a wall-clock figure.
    const r = await fx.sb.run(['reconcile', '--once', '--timeout', '90s']);
    const ms = performance.now() - t0;
    expect(r.exitCode).toBe(0);
    expect((await fx.tmux.sessions()).has('agent-02')).toBe(false);
    expect(r.stdout).not.toContain('timed out');
    expect(ms).toBeLessThan(60_000);
  });

  it('a session killed by hand is started again by the next run', async () => {
    for (const n of names.slice(0, 3)) fx.sb.write(`${n}.yaml`, sleeper(n));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    const s0 = await fx.tmux.sessions();
    await fx.tmux.run('kill-session', '-t', '=agent-02');
    const r = await fx.sb.run(['reconcile', '--once']);
    expect(r.exitCode).toBe(0);
    const s1 = await fx.tmux.sessions();
    expect(s1.get('agent-02')?.dead).toBe(false);
    expect(s1.get('agent-02')!.pid).not.toBe(s0.get('agent-02')!.pid);
    expect(without(pids(s1), 'agent-02')).toEqual(without(pids(s0), 'agent-02'));
  });

  it('a foreign session with a spec-less name is left alone, and one with a desired name is not taken over', async () => {
    await fx.tmux.run('new-session', '-d', '-s', 'foreign', 'sleep', '3600');
    await fx.tmux.run('new-session', '-d', '-s', 'agent-01', 'sleep', '3600');
    const f0 = await fx.tmux.sessions();
    fx.sb.write('agent-01.yaml', sleeper('agent-01'));
    fx.sb.write('agent-02.yaml', sleeper('agent-02'));
    const r = await fx.sb.run(['reconcile', '--once']);
    // agent-01 cannot be started (the name is taken): not converged.
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/agent-01: not converged: .*NameConflict/);
    const s = await fx.tmux.sessions();
    expect(s.get('foreign')?.pid).toBe(f0.get('foreign')!.pid);
    expect(s.get('agent-01')?.pid).toBe(f0.get('agent-01')!.pid);
    expect(s.get('agent-01')?.hash).toBe('');
    expect(s.get('agent-02')?.dead).toBe(false);
  });
});
