// The Slurm runtime adapter against the real single-node cluster: submit, observe, exits, stop, logs, attach.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createLocalExecutor, localMachine } from '../../../src/exec/local.js';
import { baseEnv } from '../../../src/runtime/agent-env.js';
import { SlurmRuntime } from '../../../src/runtime/slurm/slurm-runtime.js';
import type { StartRequest } from '../../../src/runtime/types.js';
import { waitFor } from '../../helpers/cli.js';
import { assertSlurm, cancelOwned, jobsOf, SKIP_SLURM, storedScript } from '../../helpers/slurm.js';
import { removeTree } from '../../helpers/remove-tree.js';

// Skipped only when no Slurm is reachable and AGENTCTL_REQUIRE_SLURM is not set (see helpers/slurm.ts).
describe.skipIf(SKIP_SLURM)('slurm runtime (real cluster)', () => {
  const owner = `rt-test:${process.pid}-${Date.now()}`;
  const exec = createLocalExecutor();
  let dir: string;
  let rt: SlurmRuntime;
  const req = (name: string, argv: string[], extra: Partial<StartRequest> = {}): StartRequest => ({
    name,
    argv,
    workdir: dir,
    env: {},
    secrets: [],
    hash: `hash-${name}`,
    ...extra,
  });
  const start = async (...reqs: StartRequest[]): Promise<Map<string, string>> => {
    const res = await rt.start(reqs);
    const ids = new Map<string, string>();
    for (const [n, o] of res) {
      expect(o.error?.message).toBeUndefined();
      ids.set(n, o.handle!);
    }
    return ids;
  };
  const observed = async (name: string) => (await rt.observe()).agents.get(name);

  beforeAll(() => {
    assertSlurm();
    dir = mkdtempSync(join(tmpdir(), 'agentctl-slurm-rt-'));
    rt = new SlurmRuntime({
      machine: localMachine(join(dir, 'home'), exec),
      runDir: join(dir, 'state', 'run', 'slurm'),
      logsDir: join(dir, 'state', 'logs', 'slurm'),
      owner,
      baseEnv: baseEnv(process.env),
      log: pino({ level: 'silent' }),
      pollMs: 50,
    });
  });
  afterEach(() => cancelOwned(owner));
  afterAll(() => {
    if (dir) removeTree(dir);
  });

  it('submits, observes RUNNING with hash, owner, node and job id, all agents in one squeue call', async () => {
    const t0 = Date.now();
    const ids = await start(req('a', ['sleep', '300']), req('b', ['sleep', '300']));
    const running = await waitFor(async () => {
      const o = await observed('a');
      return o?.state === 'RUNNING' ? o : undefined;
    }, 20_000);
    const latency = Date.now() - t0;
    expect(running).toMatchObject({
      runtime: 'slurm',
      handle: ids.get('a'),
      hash: 'hash-a',
      owner,
      alive: true,
      node: expect.any(String) as string,
    });
    const before = exec.spawned;
    const obs = await rt.observe();
    expect(exec.spawned - before).toBe(1);
    expect([...obs.agents.keys()].sort()).toEqual(['a', 'b']);
    console.info(`[measure] submit → RUNNING observed after ${latency} ms`);
  });

  it('a queued job is alive and pending with Slurm’s reason', async () => {
    await start(req('queued', ['sleep', '300'], { slurm: { extraDirectives: ['--begin=now+1hour'] } }));
    const o = await waitFor(async () => {
      const a = await observed('queued');
      return a?.reason === 'BeginTime' ? a : undefined;
    }, 10_000);
    expect(o).toMatchObject({ alive: true, pending: true, reason: 'BeginTime', state: 'PENDING' });
    expect(o.node).toBeUndefined();
  });

  it('records the exit code: exit 3 is seen by observe and by exitOf (scontrol)', async () => {
    const ids = await start(req('three', ['sh', '-c', 'echo out; echo err >&2; exit 3']));
    const o = await waitFor(async () => {
      const a = await observed('three');
      return a && !a.alive ? a : undefined;
    }, 20_000);
    expect(o.state).toBe('FAILED');
    expect(o.exit).toMatchObject({ code: 3, signal: null });
    expect(readFileSync(join(dir, 'state', 'run', 'slurm', `three.${ids.get('three')}.exit`), 'utf8')).toBe('3\n');
    expect(await rt.exitOf('three', ids.get('three')!)).toMatchObject({ code: 3, signal: null });
    // Without the exit file, Slurm's own record still gives the code.
    rmSync(join(dir, 'state', 'run', 'slurm', `three.${ids.get('three')}.exit`));
    expect(await rt.exitOf('three', ids.get('three')!)).toMatchObject({ code: 3, signal: null });
    expect(await rt.exitOf('three', '999999999')).toBeNull();
    // A job Slurm has forgotten (gone after MinJobAge): the exit file alone answers.
    writeFileSync(join(dir, 'state', 'run', 'slurm', 'three.999999998.exit'), '7\n');
    expect(await rt.exitOf('three', '999999998')).toMatchObject({ code: 7, signal: null });
    expect(await rt.logs('three', 10)).toMatch(/out\nerr\n$/);
  });

  it('env values reach the job but neither the stored script nor sbatch’s argv', async () => {
    const secret = `s3cret-${Date.now()}`;
    const ids = await start(
      req('env', ['sh', '-c', 'echo "v=$AGENT_VALUE"; sleep 300'], { env: { AGENT_VALUE: secret }, secrets: [secret] }),
    );
    await waitFor(async () => /v=/.test(await rt.logs('env', 5).catch(() => '')), 20_000);
    expect(await rt.logs('env', 5)).toContain(`v=${secret}`);
    const script = await storedScript(ids.get('env')!);
    expect(script).toContain('\'echo "v=$AGENT_VALUE"; sleep 300\'');
    expect(script).not.toContain(secret);
  });

  it('stop: TERM first, then KILL after the grace period; a queued job is cancelled at once', async () => {
    const ids = await start(
      req('polite', ['sleep', '300']),
      req('stubborn', ['sh', '-c', 'trap "" TERM; while :; do sleep 0.2; done']),
      req('waiting', ['sleep', '300'], { slurm: { extraDirectives: ['--begin=now+1hour'] } }),
    );
    await waitFor(
      async () => (await observed('stubborn'))?.state === 'RUNNING' && (await observed('polite'))?.state === 'RUNNING',
      20_000,
    );
    const obs = await rt.observe();
    const t0 = Date.now();
    const res = await rt.stop(
      ['polite', 'stubborn', 'waiting'].map((n) => ({ name: n, observed: obs.agents.get(n)!, graceSeconds: 1 })),
    );
    const ms = Date.now() - t0;
    console.info(`[measure] stop of 3 jobs (grace 1s, one ignores TERM): ${ms} ms`);
    expect([...res.values()].map((o) => o.error?.message)).toEqual([undefined, undefined, undefined]);
    expect(ms).toBeGreaterThanOrEqual(900);
    // Far below Slurm's KillWait (30 s), which a cancel alone would wait for.
    expect(ms).toBeLessThan(20_000);
    const states = async (n: string) => (await jobsOf(owner, n)).find((j) => j.jobId === ids.get(n))?.state;
    // Killed by the kill step inside the job (SIGKILL, not a cancel): the job failed, and it has
    // ended by the time stop returns.
    expect(await states('stubborn')).toBe('FAILED');
    expect(await states('waiting')).toBe('CANCELLED');
    // polite ended on TERM (the script records 143); stopped jobs are no longer reported.
    expect(readFileSync(join(dir, 'state', 'run', 'slurm', `polite.${ids.get('polite')}.exit`), 'utf8')).toBe('143\n');
    const after = await rt.observe();
    expect(['polite', 'stubborn', 'waiting'].filter((n) => after.agents.has(n))).toEqual([]);
  });

  it('observe reports the newest live job of an agent, stop cancels every live job of it', async () => {
    const first = await start(req('dup', ['sleep', '300']));
    const second = await start(req('dup', ['sleep', '300']));
    expect(Number(second.get('dup'))).toBeGreaterThan(Number(first.get('dup')));
    const o = await observed('dup');
    expect(o?.handle).toBe(second.get('dup'));
    await rt.stop([{ name: 'dup', observed: o!, graceSeconds: 0 }]);
    await waitFor(
      async () => (await jobsOf(owner, 'dup')).every((j) => !['RUNNING', 'PENDING'].includes(j.state)),
      10_000,
    );
  });

  it('a bad directive is a start error naming sbatch’s reason', async () => {
    const res = await rt.start([req('bad', ['true'], { slurm: { partition: 'nosuchpartition' } })]);
    expect(res.get('bad')?.error?.message).toMatch(/sbatch failed: .*[Pp]artition/);
  });

  it('attach to a batch agent says it has no terminal and points to slurm.interactive, logs -f and srun', async () => {
    const ids = await start(req('att', ['sleep', '300']));
    await waitFor(async () => (await observed('att'))?.state === 'RUNNING', 20_000);
    await expect(rt.attach('att')).rejects.toThrow(
      new RegExp(
        `without a terminal.*slurm.interactive.*agentctl logs -f att.*srun --jobid=${ids.get('att')} --overlap --pty`,
      ),
    );
  });
});
