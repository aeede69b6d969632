// Stop on a cluster with Slurm's stock KillWait (30 s): a TERM-trapping agent is gone, by pid, within its grace period + 2 s.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createLocalExecutor, localMachine } from '../../../src/exec/local.js';
import { baseEnv } from '../../../src/runtime/agent-env.js';
import { SlurmRuntime } from '../../../src/runtime/slurm/slurm-runtime.js';
import type { StartRequest } from '../../../src/runtime/types.js';
import { waitFor } from '../../helpers/cli.js';
import { assertSlurm, cancelOwned, jobsOf, SKIP_SLURM } from '../../helpers/slurm.js';
import { stockCluster, type StockCluster } from './stock-cluster.js';
import { removeTree } from '../../helpers/remove-tree.js';

/** Running, as opposed to gone or a zombie (killed, waiting for its parent or init to reap it). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe.skipIf(SKIP_SLURM)('slurm stop on a stock KillWait (real cluster)', () => {
  const owner = `stop-stock:${process.pid}-${Date.now()}`;
  let cluster: StockCluster | undefined;
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

  beforeAll(async () => {
    assertSlurm();
    cluster = await stockCluster();
    // Every Slurm client of this file (the runtime's and the helpers') talks to that cluster.
    if (cluster.conf) process.env.SLURM_CONF = cluster.conf;
    dir = mkdtempSync(join(tmpdir(), 'agentctl-slurm-stop-'));
    const env = { ...baseEnv(process.env), ...(cluster.conf ? { SLURM_CONF: cluster.conf } : {}) };
    rt = new SlurmRuntime({
      machine: localMachine(join(dir, 'home'), createLocalExecutor()),
      runDir: join(dir, 'state', 'run', 'slurm'),
      logsDir: join(dir, 'state', 'logs', 'slurm'),
      owner,
      baseEnv: env,
      log: pino({ level: 'silent' }),
      pollMs: 50,
    });
  }, 180_000);
  afterEach(() => cancelOwned(owner));
  afterAll(async () => {
    await cluster?.down();
    if (dir) removeTree(dir);
  }, 120_000);

  it('the cluster has the stock KillWait', () => {
    expect(cluster!.killWait).toBeGreaterThanOrEqual(30);
  });

  it.each([false, true])(
    'a TERM-trapping agent (interactive: %s) and its setsid child are gone within grace + 2 s; the job has ended',
    async (interactive) => {
      const pids = join(dir, `pids-${interactive}`);
      // The agent ignores TERM; a child of it leaves its session, as daemons do.
      const script = `echo $$ > ${pids}.tmp; setsid sleep 1000 & echo $! >> ${pids}.tmp; mv ${pids}.tmp ${pids}; trap "" TERM; while :; do sleep 0.2; done`;
      const name = interactive ? 'stubborn-tty' : 'stubborn';
      const ids = await rt.start([req(name, ['sh', '-c', script], { slurm: { interactive } })]);
      const jobId = ids.get(name)!.handle!;
      expect(ids.get(name)?.error).toBeUndefined();
      const agentPids = await waitFor(
        async () => {
          try {
            const p = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
            return p.length === 2 ? p : undefined;
          } catch {
            return undefined;
          }
        },
        60_000,
        100,
      );
      expect(agentPids.every(running)).toBe(true);
      const observed = (await rt.observe()).agents.get(name)!;
      expect(observed.state).toBe('RUNNING');

      // When the agent's processes are gone, read from the process table as stop runs.
      const t0 = Date.now();
      let goneAfterMs: number | undefined;
      const watch = setInterval(() => {
        if (goneAfterMs === undefined && !agentPids.some(running)) goneAfterMs = Date.now() - t0;
      }, 10);
      const res = await rt.stop([{ name, observed, graceSeconds: 2 }]);
      const ms = Date.now() - t0;
      clearInterval(watch);
      const stillRunning = agentPids.filter(running);
      const job = (await jobsOf(owner, name)).find((j) => j.jobId === jobId);
      console.info(
        `[measure] stop of a TERM-trapping ${interactive ? 'interactive ' : ''}agent, grace 2 s, KillWait ${cluster!.killWait}: processes gone after ${goneAfterMs} ms, stop returned after ${ms} ms; job ${job?.state}`,
      );
      expect(res.get(name)?.error?.message).toBeUndefined();
      // Done means done: when stop returns, squeue shows the job ended and no process of it runs.
      expect(stillRunning).toEqual([]);
      expect(['FAILED', 'CANCELLED', 'COMPLETED']).toContain(job?.state);
      // The grace period (2 s), then a KILL that does not wait for Slurm's KillWait (30 s).
      expect(goneAfterMs).toBeGreaterThanOrEqual(2000);
      // Well below KillWait's 30 s (the figure itself is printed above; the machine is shared).
      expect(goneAfterMs).toBeLessThan(15_000);
    },
  );

  it('an agent that ends on TERM records 143 and its job has ended when stop returns', async () => {
    const ids = await rt.start([req('polite', ['sleep', '1000'])]);
    const jobId = ids.get('polite')!.handle!;
    const observed = await waitFor(async () => {
      const o = (await rt.observe()).agents.get('polite');
      return o?.state === 'RUNNING' ? o : undefined;
    }, 60_000);
    const res = await rt.stop([{ name: 'polite', observed, graceSeconds: 5 }]);
    expect(res.get('polite')?.error).toBeUndefined();
    expect((await jobsOf(owner, 'polite')).find((j) => j.jobId === jobId)?.state).toBe('FAILED');
    expect(readFileSync(join(dir, 'state', 'run', 'slurm', `polite.${jobId}.exit`), 'utf8')).toBe('143\n');
  });
});
