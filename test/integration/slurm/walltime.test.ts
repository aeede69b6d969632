// Walltime: a job ended by its 1-minute time limit (TIMEOUT) is resubmitted under Always (takes > 60 s).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentYaml, sandbox, waitFor, type Sandbox } from '../../helpers/cli.js';
import { startController, type RunningController } from '../../helpers/controller.js';
import { assertSlurm, disposeSlurmSandbox, jobsOf, sandboxOwner, SKIP_SLURM } from '../../helpers/slurm.js';

let sb: Sandbox | undefined;
let ctl: RunningController | undefined;

// Skipped only when no Slurm is reachable and AGENTCTL_REQUIRE_SLURM is not set (see helpers/slurm.ts).
describe.skipIf(SKIP_SLURM)('slurm walltime (real cluster)', () => {
  beforeAll(assertSlurm);
  afterEach(async () => {
    if (ctl) await ctl.stop('SIGKILL');
    ctl = undefined;
    if (sb) await disposeSlurmSandbox(sb);
  });

  it(
    'a job hitting its time limit under Always is resubmitted: the agent outlives the walltime',
    { timeout: 180_000 },
    async () => {
      sb = sandbox('agentctl-test-slurm-walltime');
      const owner = sandboxOwner(sb);
      sb.write(
        'long.yaml',
        agentYaml('long', ['sleep', '3600'], {
          runtime: 'slurm',
          workdir: sb.dir,
          restartPolicy: 'Always',
          backoff: { initialSeconds: 1 },
          slurm: { timeLimit: '1' },
        }),
      );
      ctl = await startController(sb, ['--resync', '2s']);
      const first = await waitFor(
        async () => (await jobsOf(owner, 'long')).find((j) => j.state === 'RUNNING'),
        30_000,
        500,
      );
      const t0 = Date.now();
      // Slurm ends it after 60 s (+ up to a scheduler pass), the controller sees TIMEOUT and submits anew.
      const second = await waitFor(
        async () => (await jobsOf(owner, 'long')).find((j) => j.jobId !== first.jobId && j.state === 'RUNNING'),
        150_000,
        1000,
      );
      const jobs = await jobsOf(owner, 'long');
      expect(jobs.find((j) => j.jobId === first.jobId)?.state).toBe('TIMEOUT');
      expect(Date.now() - t0).toBeGreaterThan(50_000);
      type Rec = { handle: string; restarts: number; lastExit: { code: number | null; handle: string } };
      await waitFor(
        async () => {
          const r = JSON.parse(readFileSync(join(sb!.state, 'registry', 'long.json'), 'utf8')) as Rec;
          return r.handle === second.jobId ? r : undefined;
        },
        10_000,
        200,
      );
      const final = JSON.parse(readFileSync(join(sb.state, 'registry', 'long.json'), 'utf8')) as Rec;
      expect(final.restarts).toBe(1);
      // The time limit killed it with SIGTERM: the script recorded 143, a non-zero exit.
      expect(final.lastExit).toMatchObject({ handle: first.jobId, code: 143 });
    },
  );
});
