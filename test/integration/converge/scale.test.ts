// reconcile --once on 200 specs spawns a handful of tmux processes (batched), not one per agent.
import { describe, expect, it } from 'vitest';
import { useTmuxSandbox } from '../../helpers/fixture.js';
import { agentYaml, type CliResult } from '../../helpers/cli.js';

const fx = useTmuxSandbox();

interface Done {
  subprocesses: number;
  observeCalls: Record<string, number>;
  durationMs: number;
}

/** The "reconcile --once done" debug line from stderr (JSON logs). */
function doneLine(stderr: string): Done {
  const lines = stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const done = lines.find((l) => l.msg === 'reconcile --once done');
  if (!done) throw new Error(`no "reconcile --once done" line in stderr:\n${stderr.slice(-2000)}`);
  return done as unknown as Done;
}

const NAMES = Array.from({ length: 200 }, (_, i) => `agent-${String(i).padStart(3, '0')}`);

async function converge200(extra: string[]): Promise<{ r: CliResult; done: Done; ms: number }> {
  for (const n of NAMES) fx.sb.write(`${n}.yaml`, agentYaml(n, ['sleep', '3600']));
  const t0 = performance.now();
  const r = await fx.sb.run(['reconcile', '--once', '--log-level', 'debug', ...extra], {}, 90_000);
  const ms = Math.round(performance.now() - t0);
  const done = doneLine(r.stderr);
  console.log(
    `[foundation] 200 specs ${extra.join(' ') || '(default flags)'}: ${ms} ms, subprocesses ${done.subprocesses}, observe calls ${JSON.stringify(done.observeCalls)}`,
  );
  return { r, done, ms };
}

describe('foundation: 200 specs', () => {
  it('converge with far fewer subprocesses than agents (default flags)', async () => {
    const { r, done } = await converge200([]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('200/200 agent(s) converged');
    const s = await fx.tmux.sessions();
    expect(s.size).toBe(200);
    expect([...s.values()].filter((x) => x.dead)).toEqual([]);
    expect(done.subprocesses).toBeGreaterThan(0);
    expect(done.subprocesses).toBeLessThan(NAMES.length / 2);
  });

  // --once lets every agent be in flight at once by default, so the starts leave as one batch and
  // the settle re-check is one shared observation.
  it('converge with a handful of subprocesses (≤ 6) with default flags', async () => {
    const { r, done } = await converge200([]);
    expect(r.exitCode).toBe(0);
    expect(done.subprocesses).toBeLessThanOrEqual(6);
  });

  it('converge with a handful of subprocesses (≤ 6) when every agent can be in flight; a run in sync takes ≤ 2', async () => {
    const { r, done } = await converge200(['--concurrency', '256']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('200/200 agent(s) converged');
    const s = await fx.tmux.sessions();
    expect(s.size).toBe(200);
    expect([...s.values()].filter((x) => x.dead)).toEqual([]);
    expect(done.subprocesses).toBeLessThanOrEqual(6);

    const again = await fx.sb.run(['reconcile', '--once', '--log-level', 'debug']);
    const done2 = doneLine(again.stderr);
    console.log(`[foundation] 200 specs already in sync: subprocesses ${done2.subprocesses}`);
    expect(again.exitCode).toBe(0);
    expect(done2.subprocesses).toBeLessThanOrEqual(2);
    expect(await fx.tmux.sessions()).toEqual(s);
  });
});
