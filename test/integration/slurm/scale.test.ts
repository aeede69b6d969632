// Observing 50 Slurm agents costs one squeue call (counted from reconcile --once's debug log).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentYaml, sandbox, waitFor, type Sandbox } from '../../helpers/cli.js';
import { assertSlurm, disposeSlurmSandbox, ownedJobs, sandboxOwner, SKIP_SLURM } from '../../helpers/slurm.js';

const N = 50;
let sb: Sandbox | undefined;

interface DoneLine {
  msg?: string;
  subprocesses?: number;
  observeCalls?: Record<string, number>;
}

function doneLine(stderr: string): DoneLine {
  const line = stderr
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as DoneLine)
    .find((l) => l.msg === 'reconcile --once done');
  if (!line) throw new Error(`no "reconcile --once done" line in: ${stderr.slice(-2000)}`);
  return line;
}

// Skipped only when no Slurm is reachable and AGENTCTL_REQUIRE_SLURM is not set (see helpers/slurm.ts).
describe.skipIf(SKIP_SLURM)('slurm at 50 agents (real cluster)', () => {
  beforeAll(() => {
    assertSlurm();
    sb = sandbox('agentctl-test-slurm-scale');
  });
  afterAll(async () => {
    if (sb) await disposeSlurmSandbox(sb);
  });

  it(
    `${N} agents: submitted in one pass, then every observe is one squeue call for all of them`,
    { timeout: 120_000 },
    async () => {
      const box = sb!;
      // Held in the queue by --begin so that 50 jobs do not take the node's CPUs from other tests;
      // a queued job is observed exactly like a running one.
      for (let i = 0; i < N; i++) {
        box.write(
          `a${i}.yaml`,
          agentYaml(`a${i}`, ['sleep', '600'], {
            runtime: 'slurm',
            workdir: box.dir,
            slurm: { extraDirectives: ['--begin=now+1hour'] },
          }),
        );
      }
      const t0 = Date.now();
      const first = await box.run(['reconcile', '--once', '--timeout', '4s', '--log-level', 'debug']);
      const submitMs = Date.now() - t0;
      const owner = sandboxOwner(box);
      const jobs = await waitFor(async () => {
        const j = await ownedJobs(owner);
        return j.length === N ? j : undefined;
      }, 10_000);
      expect(new Set(jobs.map((j) => j.agent)).size).toBe(N);
      const d1 = doneLine(first.stderr);
      const startTimes = first.stderr
        .split('\n')
        .filter((l) => l.includes('"started agent"'))
        .map((l) => Date.parse((JSON.parse(l) as { time: string }).time));
      expect(startTimes.length).toBe(N);
      // N sbatch, and observations shared by all agents: before and after the starts, then one per
      // second while they stay queued (4 s here) — never one per agent.
      expect(d1.observeCalls?.slurm).toBeLessThanOrEqual(3 + 4);
      expect(d1.subprocesses).toBeLessThanOrEqual(N + (d1.observeCalls?.slurm ?? 0) + (d1.observeCalls?.tmux ?? 0));

      // In steady state: one squeue call observes all 50 (plus one tmux list-sessions).
      const t1 = Date.now();
      const again = await box.run(['reconcile', '--once', '--timeout', '2s', '--log-level', 'debug']);
      const d2 = doneLine(again.stderr);
      // Queued agents are re-checked once a second while --once waits (2 s here): each check is one
      // squeue for all 50, and nothing else is spawned (no per-agent call, no resubmit).
      expect(d2.observeCalls?.tmux).toBe(1);
      expect(d2.observeCalls?.slurm).toBeGreaterThanOrEqual(1);
      expect(d2.observeCalls?.slurm).toBeLessThanOrEqual(3);
      expect(d2.subprocesses).toBe(d2.observeCalls!.tmux! + d2.observeCalls!.slurm!);
      const items = JSON.parse((await box.run(['get', '-o', 'json'])).stdout).items as {
        phase: string;
        message: string;
      }[];
      expect(items.length).toBe(N);
      expect(items.every((i) => i.phase === 'Pending' && i.message === 'queued (BeginTime)')).toBe(true);
      console.info(
        `[measure] ${N} Slurm agents: all submitted within ${Math.max(...startTimes) - Math.min(...startTimes)} ms (first reconcile ${submitMs} ms incl. its 4 s timeout); steady-state reconcile ${Date.now() - t1} ms incl. 2 s timeout, ${d2.subprocesses} subprocesses`,
      );
    },
  );
});
