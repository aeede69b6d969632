// A Slurm cluster with the stock KillWait (30 s) for stop tests: the reachable one when it has it, else a private one beside it.
import { execa } from 'execa';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { removeTree } from '../../helpers/remove-tree.js';

const STOCK_KILL_WAIT = 30;
const CI = resolve(import.meta.dirname, '../../../.ci');

export interface StockCluster {
  /** SLURM_CONF for every Slurm client of the test; undefined for the default cluster. */
  conf: string | undefined;
  killWait: number;
  /** Stops a private cluster (after cancelling its jobs) and removes its folder; no-op otherwise. */
  down(): Promise<void>;
}

export async function killWaitOf(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const r = await execa('scontrol', ['show', 'config'], { env, reject: false });
  const m = /^KillWait\s*=\s*(\d+)/m.exec(String(r.stdout));
  if (!m) throw new Error(`cannot read KillWait from scontrol show config: ${String(r.stderr)}`);
  return Number(m[1]);
}

/**
 * CI's cluster (.ci/slurm-up.sh) runs with Slurm's default KillWait. A cluster set up otherwise
 * (a developer's, or one that other tests share with a short KillWait) is left as it is: a second
 * slurmctld/slurmd pair on ports of its own is started with `.ci/slurm-up.sh` (as root) instead.
 */
export async function stockCluster(): Promise<StockCluster> {
  const shared = await killWaitOf();
  if (shared >= STOCK_KILL_WAIT) return { conf: undefined, killWait: shared, down: async () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'agentctl-slurm-stock-'));
  const port = 30_000 + (process.pid % 4000) * 2;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SLURM_CI_DIR: dir,
    SLURM_CI_CONF: join(dir, 'slurm.conf'),
    SLURM_CI_PORT: String(port),
    SLURM_CI_CLUSTER: `stock${process.pid}`,
    SLURM_CI_CPUS: '16',
  };
  delete env.SLURM_CI_KILLWAIT;
  const down = async (): Promise<void> => {
    await execa('bash', [join(CI, 'slurm-down.sh')], { env, reject: false, timeout: 60_000 });
    removeTree(dir);
  };
  const up = await execa('bash', [join(CI, 'slurm-up.sh')], { env, reject: false, timeout: 120_000 });
  if (up.exitCode !== 0) {
    await down();
    throw new Error(
      `cannot start a private Slurm with the stock KillWait (the shared one has KillWait=${shared}): ${String(up.stderr)}`,
    );
  }
  const conf = env.SLURM_CI_CONF!;
  return { conf, killWait: await killWaitOf({ ...process.env, SLURM_CONF: conf }), down };
}
