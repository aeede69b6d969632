// Slurm agents through the compiled CLI and the real controller: create, edit, delete, stop, crash loop, quoting.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { agentYaml, sandbox, waitFor, type Sandbox } from '../../helpers/cli.js';
import { startController, type RunningController } from '../../helpers/controller.js';
import { assertSlurm, cancelOwned, isLive, jobsOf, sandboxOwner, SKIP_SLURM } from '../../helpers/slurm.js';

let sb: Sandbox;
let owner: string;
let ctl: RunningController | undefined;

interface Item {
  name: string;
  phase: string;
  ready: boolean;
  restarts: number;
  handle: string | null;
  lastExit: string | null;
  message: string;
  details: Record<string, string>;
}

async function item(name: string): Promise<Item | undefined> {
  const r = await sb.run(['get', name, '-o', 'json']);
  return r.exitCode === 0 ? (JSON.parse(r.stdout).items[0] as Item) : undefined;
}

const slurmAgent = (name: string, command: string[], extra: Record<string, unknown> = {}): string =>
  agentYaml(name, command, { runtime: 'slurm', workdir: sb.dir, stopGracePeriodSeconds: 2, ...extra });

/** The agent's live job once the record says Running and squeue says RUNNING. */
async function runningJob(name: string, notId?: string, timeoutMs = 30_000) {
  return waitFor(
    async () => {
      const i = await item(name);
      const live = (await jobsOf(owner, name)).filter((j) => j.state === 'RUNNING' && j.jobId !== notId);
      return i?.phase === 'Running' && live.length === 1 && i.handle === live[0]!.jobId ? live[0] : undefined;
    },
    timeoutMs,
    200,
  );
}

// Skipped only when no Slurm is reachable and AGENTCTL_REQUIRE_SLURM is not set (see helpers/slurm.ts).
describe.skipIf(SKIP_SLURM)('slurm agents through the CLI (real cluster)', () => {
  beforeAll(assertSlurm);
  beforeEach(() => {
    sb = sandbox(`agentctl-test-slurm-${randomBytes(4).toString('hex')}`);
    owner = sandboxOwner(sb);
  });
  afterEach(async () => {
    if (ctl) await ctl.stop('SIGKILL');
    ctl = undefined;
    await cancelOwned(owner);
    sb.cleanup();
  });

  it('create → RUNNING job named agentctl.<name> with hash and owner in its comment; get -o wide shows node/job and state', async () => {
    sb.write('w.yaml', slurmAgent('worker', ['sh', '-c', 'echo started; sleep 300']));
    ctl = await startController(sb, ['--resync', '1s']);
    const job = await runningJob('worker');
    expect(job.jobName).toBe('agentctl.worker');
    expect(job.comment).toMatch(
      new RegExp(`^agentctl:[0-9a-f]{64};owner=${owner.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    );
    const wide = await sb.run(['get', '-o', 'wide']);
    expect(wide.stdout).toMatch(new RegExp(`worker .*slurm .*Running .*/${job.jobId} RUNNING`));
    const i = await item('worker');
    expect(i!.details).toMatchObject({ jobId: job.jobId, state: 'RUNNING' });
    await waitFor(async () => /started/.test((await sb.run(['logs', 'worker'])).stdout), 10_000, 200);
  });

  it('edit → a new job replaces the old one', async () => {
    sb.write('w.yaml', slurmAgent('worker', ['sleep', '300']));
    ctl = await startController(sb, ['--resync', '1s']);
    const old = await runningJob('worker');
    sb.write('w.yaml', slurmAgent('worker', ['sleep', '301']));
    const fresh = await runningJob('worker', old.jobId);
    expect(Number(fresh.jobId)).toBeGreaterThan(Number(old.jobId));
    const jobs = await jobsOf(owner, 'worker');
    expect(jobs.filter(isLive).map((j) => j.jobId)).toEqual([fresh.jobId]);
    // A spec roll replaces the agent; it is not a restart (RESTARTS counts ended incarnations).
    expect((await item('worker'))!.restarts).toBe(0);
  });

  it('delete → the job is cancelled and the agent forgotten', async () => {
    sb.write('w.yaml', slurmAgent('worker', ['sleep', '300']));
    ctl = await startController(sb, ['--resync', '1s', '--allow-mass-prune']);
    const job = await runningJob('worker');
    sb.remove('w.yaml');
    await waitFor(async () => (await jobsOf(owner, 'worker')).every((j) => !isLive(j)), 20_000, 200);
    await waitFor(async () => (await item('worker')) === undefined, 10_000, 200);
    const ended = (await jobsOf(owner, 'worker')).find((j) => j.jobId === job.jobId);
    expect(['CANCELLED', 'FAILED']).toContain(ended?.state);
  });

  it('state: Stopped → the job is cancelled and not resubmitted', async () => {
    sb.write('w.yaml', slurmAgent('worker', ['sleep', '300']));
    ctl = await startController(sb, ['--resync', '1s']);
    await runningJob('worker');
    sb.write('w.yaml', slurmAgent('worker', ['sleep', '300'], { state: 'Stopped' }));
    await waitFor(
      async () =>
        (await item('worker'))?.phase === 'Stopped' && (await jobsOf(owner, 'worker')).every((j) => !isLive(j)),
      20_000,
      200,
    );
    // Several resyncs later: still exactly one job ever submitted, none live.
    await new Promise((r) => setTimeout(r, 3500));
    const jobs = await jobsOf(owner, 'worker');
    expect(jobs.length).toBe(1);
    expect(jobs.filter(isLive)).toEqual([]);
    expect((await item('worker'))!.phase).toBe('Stopped');
  });

  it('a job that exits 3 under OnFailure is resubmitted with backoff (1 s, 2 s, …)', async () => {
    const starts = join(sb.dir, 'starts.log');
    writeFileSync(starts, '');
    sb.write(
      'c.yaml',
      slurmAgent('crash', ['sh', '-c', `date +%s%N >> ${starts}; exit 3`], {
        restartPolicy: 'OnFailure',
        backoff: { initialSeconds: 1, maxSeconds: 8 },
      }),
    );
    ctl = await startController(sb, ['--resync', '1s']);
    await waitFor(async () => readFileSync(starts, 'utf8').trim().split('\n').length >= 3, 40_000, 200);
    const t = readFileSync(starts, 'utf8')
      .trim()
      .split('\n')
      .map((l) => Number(l) / 1e6);
    const gaps = t.slice(1).map((v, k) => v - t[k]!);
    // Each restart waits at least its backoff delay after the exit (1 s, then 2 s).
    expect(gaps[0]).toBeGreaterThanOrEqual(1000);
    expect(gaps[1]).toBeGreaterThanOrEqual(2000);
    const jobs = await jobsOf(owner, 'crash');
    expect(new Set(jobs.map((j) => j.jobId)).size).toBeGreaterThanOrEqual(3);
    const i = await item('crash');
    expect(i!.lastExit).toMatch(/exited with code 3/);
    expect(i!.restarts).toBeGreaterThanOrEqual(2);
  });

  it('an argument like $(touch …) executes nothing: the agent gets it verbatim', async () => {
    const marker = join(sb.dir, 'pwned');
    const out = join(sb.dir, 'args.out');
    const hostile = [`$(touch ${marker})`, `\`touch ${marker}\``, `'; touch ${marker}; '`, '$HOME "x" \\n *'];
    sb.write('q.yaml', slurmAgent('quoted', ['sh', '-c', 'printf "%s\\n" "$@" > "$0"; sleep 300', out, ...hostile]));
    ctl = await startController(sb, ['--resync', '1s']);
    await runningJob('quoted');
    await waitFor(
      async () => existsSync(out) && readFileSync(out, 'utf8').split('\n').length > hostile.length,
      10_000,
      100,
    );
    expect(readFileSync(out, 'utf8')).toBe(hostile.join('\n') + '\n');
    expect(existsSync(marker)).toBe(false);
  });

  // A queued agent is re-observed with fresh views, 1 s apart right after its submit.
  it('reconcile --once alone takes a new Slurm agent to Running (the job starts within ~1 s)', async () => {
    sb.write('w.yaml', slurmAgent('once', ['sleep', '300']));
    const r = await sb.run(['reconcile', '--once', '--timeout', '8s']);
    expect(r.stdout).toMatch(/1\/1 agent\(s\) converged/);
    expect(r.exitCode).toBe(0);
    expect((await item('once'))?.phase).toBe('Running');
  });

  it('a queued job shows phase Pending with Slurm’s reason', async () => {
    sb.write('p.yaml', slurmAgent('later', ['sleep', '300'], { slurm: { extraDirectives: ['--begin=now+1hour'] } }));
    const r = await sb.run(['reconcile', '--once', '--timeout', '3s']);
    expect(r.exitCode).toBe(1);
    await waitFor(async () => (await jobsOf(owner, 'later')).some((j) => j.reason === 'BeginTime'), 10_000, 200);
    await sb.run(['reconcile', '--once', '--timeout', '2s']);
    const i = await item('later');
    expect(i).toMatchObject({ phase: 'Pending', message: 'queued (BeginTime)' });
    expect(i!.details).toMatchObject({ state: 'PENDING', reason: 'BeginTime' });
  });
});
