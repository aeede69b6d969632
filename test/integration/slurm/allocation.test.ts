// Agents inside an allocation (slurm.allocation) on the real cluster: seconds to start, roll and stop; the allocation's job stays.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { createLocalExecutor, localMachine } from '../../../src/exec/local.js';
import { baseEnv } from '../../../src/runtime/agent-env.js';
import { SlurmRuntime } from '../../../src/runtime/slurm/slurm-runtime.js';
import type { StartRequest } from '../../../src/runtime/types.js';
import { agentYaml, sandbox, waitFor, type Sandbox } from '../../helpers/cli.js';
import { startController, type RunningController } from '../../helpers/controller.js';
import { assertSlurm, cancelOwned, disposeSlurmSandbox, SKIP_SLURM } from '../../helpers/slurm.js';
import { removeTree } from '../../helpers/remove-tree.js';

/** A job of ours that is not an agent: what a user books with sbatch (or salloc) and names. */
async function book(name: string): Promise<string> {
  const r = await execa('sbatch', ['--parsable', `--job-name=${name}`, '--output=/dev/null', '--wrap', 'sleep 3000']);
  return String(r.stdout).trim();
}

async function jobState(id: string): Promise<string> {
  return String((await execa('squeue', ['-h', '-t', 'all', '-j', id, '-o', '%T'], { reject: false })).stdout).trim();
}

const running = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

describe.skipIf(SKIP_SLURM)('slurm agents in an allocation (real cluster)', () => {
  const owner = `alloc-test:${process.pid}-${Date.now()}`;
  const allocName = `alloc-${randomBytes(4).toString('hex')}`;
  const booked: string[] = [];
  let dir: string;
  let rt: SlurmRuntime;
  const req = (name: string, hash: string, allocation = allocName): StartRequest => ({
    name,
    argv: ['sh', '-c', `echo "agent ${name} pid $$"; [ -t 0 ] && echo tty; while read -r l; do echo "got:$l"; done`],
    workdir: dir,
    env: { AGENT_NAME: name },
    secrets: [],
    hash: hash.repeat(64),
    slurm: { allocation },
  });
  const screen = async (name: string): Promise<string> => (await rt.capture([name])).get(name) ?? '';
  const pidOf = async (name: string): Promise<number> =>
    Number(
      /agent \S+ pid (\d+)/.exec(
        await waitFor(
          async () => {
            const s = await screen(name);
            return /pid \d+/.test(s) ? s : undefined;
          },
          20_000,
          100,
        ),
      )![1],
    );

  beforeAll(() => {
    assertSlurm();
    dir = mkdtempSync(join(tmpdir(), 'agentctl-slurm-alloc-'));
    rt = new SlurmRuntime({
      machine: localMachine(join(dir, 'home'), createLocalExecutor()),
      runDir: join(dir, 'state', 'run', 'slurm'),
      logsDir: join(dir, 'state', 'logs', 'slurm'),
      owner,
      baseEnv: baseEnv(process.env),
      log: pino({ level: 'silent' }),
      pollMs: 50,
    });
  });
  afterEach(async () => {
    if (booked.length > 0) await execa('scancel', ['--signal=KILL', '--full', ...booked.splice(0)], { reject: false });
    await cancelOwned(owner);
  });
  afterAll(() => {
    if (dir) removeTree(dir);
  });

  it('three agents start, roll and stop in seconds inside one allocation whose job id stays the same', async () => {
    const alloc = await book(allocName);
    booked.push(alloc);
    await waitFor(async () => (await jobState(alloc)) === 'RUNNING', 30_000, 100);

    let t0 = Date.now();
    const started = await rt.start(['a1', 'a2', 'a3'].map((n) => req(n, 'a')));
    const startMs = Date.now() - t0;
    expect([...started.values()].map((o) => o.error?.message)).toEqual([undefined, undefined, undefined]);
    const obs = await rt.observe();
    for (const n of ['a1', 'a2', 'a3']) {
      expect(obs.agents.get(n)).toMatchObject({
        runtime: 'slurm',
        alive: true,
        state: 'RUNNING',
        hash: 'a'.repeat(64),
        owner,
        handle: started.get(n)!.handle,
      });
    }
    const pids = await Promise.all(['a1', 'a2', 'a3'].map(pidOf));
    expect(await screen('a1')).toContain('tty');
    await rt.sendKeys('a2', [{ text: 'hello' }, { key: 'Enter' }]);
    await waitFor(async () => (await screen('a2')).includes('got:hello'), 10_000, 100);
    expect(await rt.logs('a2', 10)).toContain('got:hello');

    // A roll (new hash): the old session stops, a new one starts; the allocation stays.
    t0 = Date.now();
    await rt.stop([{ name: 'a1', observed: obs.agents.get('a1')!, graceSeconds: 2 }]);
    const rolled = await rt.start([req('a1', 'b')]);
    const rollMs = Date.now() - t0;
    expect(rolled.get('a1')?.handle).not.toBe(started.get('a1')!.handle);
    expect((await rt.observe()).agents.get('a1')).toMatchObject({
      alive: true,
      hash: 'b'.repeat(64),
      handle: rolled.get('a1')!.handle,
    });
    expect(running(pids[0]!)).toBe(false);

    const before = await rt.observe();
    t0 = Date.now();
    const stopped = await rt.stop(
      ['a1', 'a2', 'a3'].map((n) => ({ name: n, observed: before.agents.get(n)!, graceSeconds: 2 })),
    );
    const stopMs = Date.now() - t0;
    expect([...stopped.values()].map((o) => o.error?.message)).toEqual([undefined, undefined, undefined]);
    expect(pids.slice(1).filter(running)).toEqual([]);
    expect([...(await rt.observe()).agents.keys()]).toEqual([]);
    expect(await jobState(alloc)).toBe('RUNNING');
    console.info(
      `[measure] allocation ${alloc}: start of 3 agents ${startMs} ms (host step included), roll of one ${rollMs} ms, stop of 3 ${stopMs} ms`,
    );
  });

  it('an agent whose allocation does not run waits (AllocationNotRunning), starts when it runs with the same handle, and is gone when it ends', async () => {
    const name = `later-${randomBytes(3).toString('hex')}`;
    const res = await rt.start([req('w1', 'c', name)]);
    const handle = res.get('w1')!.handle!;
    expect((await rt.observe()).agents.get('w1')).toMatchObject({
      alive: true,
      pending: true,
      reason: 'AllocationNotRunning',
      handle,
      owner,
    });
    const alloc = await book(name);
    booked.push(alloc);
    await waitFor(async () => (await jobState(alloc)) === 'RUNNING', 30_000, 100);
    const o = await waitFor(
      async () => {
        const a = (await rt.observe()).agents.get('w1');
        return a?.state === 'RUNNING' ? a : undefined;
      },
      20_000,
      200,
    );
    expect(o).toMatchObject({ alive: true, handle, hash: 'c'.repeat(64) });
    await execa('scancel', [alloc]);
    await waitFor(async () => !['RUNNING', 'COMPLETING'].includes(await jobState(alloc)), 20_000, 100);
    expect((await rt.observe()).agents.has('w1')).toBe(false);
    expect(await rt.exitOf('w1', handle)).toBeNull();
  });
});

describe.skipIf(SKIP_SLURM)('slurm allocation agents through the controller (real cluster)', () => {
  let sb: Sandbox | undefined;
  let ctl: RunningController | undefined;
  const booked: string[] = [];
  beforeAll(assertSlurm);
  afterEach(async () => {
    if (ctl) await ctl.stop('SIGKILL');
    ctl = undefined;
    if (booked.length > 0) await execa('scancel', ['--signal=KILL', '--full', ...booked.splice(0)], { reject: false });
    if (sb) await disposeSlurmSandbox(sb);
  });

  it('Pending with reason AllocationNotRunning until the allocation runs, then Running', async () => {
    sb = sandbox(`agentctl-test-slurm-${randomBytes(4).toString('hex')}`);
    const allocName = `alloc-${randomBytes(4).toString('hex')}`;
    sb.write(
      't.yaml',
      agentYaml('tenant', ['sh', '-c', 'echo in-allocation; sleep 300'], {
        runtime: 'slurm',
        workdir: sb.dir,
        stopGracePeriodSeconds: 2,
        slurm: { allocation: allocName },
      }),
    );
    ctl = await startController(sb, ['--resync', '1s']);
    const item = async (): Promise<{ phase: string; message: string; handle: string | null } | undefined> => {
      const r = await sb!.run(['get', 'tenant', '-o', 'json']);
      return r.exitCode === 0
        ? (JSON.parse(r.stdout) as { items: { phase: string; message: string; handle: string | null }[] }).items[0]
        : undefined;
    };
    const waiting = await waitFor(
      async () => {
        const i = await item();
        return i?.phase === 'Pending' && /allocation/i.test(i.message) ? i : undefined;
      },
      30_000,
      200,
    );
    const alloc = await book(allocName);
    booked.push(alloc);
    const live = await waitFor(
      async () => {
        const i = await item();
        return i?.phase === 'Running' ? i : undefined;
      },
      60_000,
      300,
    );
    expect(live.handle).toBe(waiting.handle);
    await waitFor(async () => /in-allocation/.test((await sb!.run(['logs', 'tenant'])).stdout), 20_000, 300);
  });
});
