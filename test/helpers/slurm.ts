// The real single-node Slurm for integration tests: is it reachable, which jobs a sandbox owns, cleanup.
import { spawnSync } from 'node:child_process';
import { execa } from 'execa';
import { resolve } from 'node:path';
import { ownerId } from '../../src/registry/owner.js';
import { parseComment, parseSqueue, SQUEUE_ARGS, type JobRow } from '../../src/runtime/slurm/parse.js';
import type { Sandbox } from './cli.js';

function probe(): { ok: boolean; why: string } {
  const r = spawnSync('sinfo', ['-h'], { encoding: 'utf8', timeout: 5_000 });
  if (r.error)
    return { ok: false, why: `sinfo cannot run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})` };
  if (r.status !== 0) return { ok: false, why: `sinfo -h failed: ${(r.stderr || '').trim().split('\n').pop() ?? ''}` };
  return { ok: true, why: '' };
}

const state = probe();
export const SLURM_AVAILABLE = state.ok;
/** CI sets AGENTCTL_REQUIRE_SLURM=1: there a missing cluster fails the Slurm tests instead of skipping them. */
export const SLURM_REQUIRED = process.env.AGENTCTL_REQUIRE_SLURM === '1';
/** Skip only on a developer machine without Slurm; under AGENTCTL_REQUIRE_SLURM=1 the tests run and fail in beforeAll. */
export const SKIP_SLURM = !SLURM_AVAILABLE && !SLURM_REQUIRED;

const HOW =
  'bring up the single-node test cluster with `sudo bash .ci/slurm-up.sh` (installs and starts munge, slurmctld, slurmd)';
if (SKIP_SLURM) console.warn(`[slurm tests skipped] Slurm is not reachable (${state.why}); to run them, ${HOW}`);

/** For beforeAll: fails every test of the file with the reason when Slurm was required but is not there. */
export function assertSlurm(): void {
  if (!SLURM_AVAILABLE) throw new Error(`AGENTCTL_REQUIRE_SLURM=1 but Slurm is not reachable (${state.why}); ${HOW}`);
}

/** The owner id the CLI uses for a sandbox (`--host testhost`, its state dir). */
export function sandboxOwner(sb: Sandbox): string {
  return ownerId(sb.env.AGENTCTL_HOST ?? 'testhost', resolve(sb.state));
}

/** Every job (any state squeue still keeps) marked with this owner. */
export async function ownedJobs(owner: string): Promise<JobRow[]> {
  const r = await execa('squeue', SQUEUE_ARGS, { reject: false });
  if (r.exitCode !== 0) throw new Error(`squeue failed: ${String(r.stderr)}`);
  return parseSqueue(String(r.stdout)).filter((j) => parseComment(j.comment).owner === owner);
}

export async function jobsOf(owner: string, agent: string): Promise<JobRow[]> {
  return (await ownedJobs(owner)).filter((j) => j.agent === agent).sort((a, b) => Number(a.jobId) - Number(b.jobId));
}

const LIVE = new Set(['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING', 'SUSPENDED', 'REQUEUED']);
export const isLive = (j: JobRow): boolean => LIVE.has(j.state);

/** Cancels every live job of this owner and waits until none is left running (afterEach/afterAll). */
export async function cancelOwned(owner: string): Promise<void> {
  if (!SLURM_AVAILABLE) return;
  for (let i = 0; i < 50; i++) {
    const live = (await ownedJobs(owner)).filter((j) => isLive(j) && j.state !== 'COMPLETING');
    if (live.length === 0) return;
    await execa(
      'scancel',
      ['--signal=KILL', '--full', ...live.filter((j) => j.state !== 'PENDING').map((j) => j.jobId)],
      { reject: false },
    );
    const pending = live.filter((j) => j.state === 'PENDING').map((j) => j.jobId);
    if (pending.length > 0) await execa('scancel', pending, { reject: false });
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `scontrol write batch_script ID -`: the script as Slurm stored it. */
/** A Slurm test's sandbox gone: its jobs cancelled first (they write into it), then the folder. */
export async function disposeSlurmSandbox(sb: Sandbox): Promise<void> {
  await cancelOwned(sandboxOwner(sb));
  sb.cleanup();
}

export async function storedScript(jobId: string): Promise<string> {
  const r = await execa('scontrol', ['write', 'batch_script', jobId, '-'], { reject: false });
  return String(r.stdout);
}
