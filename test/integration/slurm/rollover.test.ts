// Walltime rollover through the real controller: a 2-minute job hands over to its queued successor; the gap is measured (takes ~2 min).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { agentYaml, sandbox, waitFor, type Sandbox } from '../../helpers/cli.js';
import { startController, type RunningController } from '../../helpers/controller.js';
import { assertSlurm, disposeSlurmSandbox, jobsOf, sandboxOwner, SKIP_SLURM } from '../../helpers/slurm.js';

let sb: Sandbox | undefined;
let ctl: RunningController | undefined;

interface Tick {
  job: string;
  at: number;
}

describe.skipIf(SKIP_SLURM)('slurm walltime rollover (real cluster)', () => {
  beforeAll(assertSlurm);
  afterEach(async () => {
    if (ctl) await ctl.stop('SIGKILL');
    ctl = undefined;
    if (sb) await disposeSlurmSandbox(sb);
  });

  it(
    'timeLimit 2, walltimeRollover 1m: the successor is queued a minute before the limit and takes over when the old job is stopped',
    { timeout: 240_000 },
    async () => {
      sb = sandbox(`agentctl-test-slurm-${randomBytes(4).toString('hex')}`);
      const owner = sandboxOwner(sb);
      const ticks = join(sb.dir, 'ticks');
      // Every 50 ms the agent writes its job id and the time in ms: the gap is read from the ticks.
      const agent = `while :; do echo "$SLURM_JOB_ID $(date +%s%3N)" >> ${ticks}; sleep 0.05; done`;
      sb.write(
        'r.yaml',
        agentYaml('roll', ['sh', '-c', agent], {
          runtime: 'slurm',
          workdir: sb.dir,
          stopGracePeriodSeconds: 2,
          slurm: { timeLimit: '2', walltimeRollover: '1m' },
        }),
      );
      ctl = await startController(sb, ['--resync', '5s']);
      const first = await waitFor(
        async () => (await jobsOf(owner, 'roll')).find((j) => j.state === 'RUNNING'),
        30_000,
        500,
      );

      // A minute before the limit: the successor waits on the singleton dependency.
      const next = await waitFor(
        async () => (await jobsOf(owner, 'roll')).find((j) => j.jobId !== first.jobId && j.state === 'PENDING'),
        90_000,
        500,
      );
      expect(next.reason).toBe('Dependency');
      expect(String((await execa('scontrol', ['show', 'job', next.jobId])).stdout)).toMatch(/Dependency=singleton/);
      expect((await jobsOf(owner, 'roll')).find((j) => j.jobId === first.jobId)?.state).toBe('RUNNING');

      // Shortly before the limit the old job is stopped (TERM); the successor runs.
      await waitFor(
        async () => (await jobsOf(owner, 'roll')).find((j) => j.jobId === next.jobId && j.state === 'RUNNING'),
        90_000,
        200,
      );
      const parsed = (): Tick[] =>
        readFileSync(ticks, 'utf8')
          .trim()
          .split('\n')
          .map((l) => l.split(' '))
          .map(([job, at]) => ({ job: job!, at: Number(at) }));
      await waitFor(async () => parsed().some((t) => t.job === next.jobId), 20_000, 100);
      const all = parsed();
      const lastOld = Math.max(...all.filter((t) => t.job === first.jobId).map((t) => t.at));
      const firstNew = Math.min(...all.filter((t) => t.job === next.jobId).map((t) => t.at));
      const old = (await jobsOf(owner, 'roll')).find((j) => j.jobId === first.jobId)!;
      console.info(
        `[measure] walltime rollover: old job ${first.jobId} ran ${Math.round((lastOld - first.startTime!) / 1000)} s of its 120 s and ended ${old.state}; successor ${next.jobId} wrote ${firstNew - lastOld} ms after the old one's last write`,
      );
      // Ended by the handover (TERM within the grace period), not by Slurm at the limit.
      expect(old.state).not.toBe('TIMEOUT');
      expect(firstNew).toBeGreaterThan(lastOld);

      // The controller adopted the successor: same agent, no restart counted, no exit recorded.
      const rec = await waitFor(
        async () => {
          const r = JSON.parse(readFileSync(join(sb!.state, 'registry', 'roll.json'), 'utf8')) as {
            handle: string;
            restarts: number;
            lastExit: unknown;
            phase: string;
            events: { reason: string }[];
          };
          return r.handle === next.jobId && r.phase === 'Running' ? r : undefined;
        },
        20_000,
        200,
      );
      expect(rec.restarts).toBe(0);
      expect(rec.lastExit).toBeNull();
      expect(rec.events.map((e) => e.reason)).toEqual(expect.arrayContaining(['RolloverQueued', 'HandedOver']));
    },
  );
});
