// Agents inside an allocation (pure): finding the allocation's job, its tmux socket, the host step, the placement records.
//
// `slurm.allocation: NAME` puts the agent in a tmux session inside a job of ours that already
// runs (named NAME, or running in the reservation NAME): no queue, so starting, rolling and
// stopping take seconds and never end the allocation. The sessions live on a tmux server that is
// the task of one long step in the allocation (the "host step"): a server started by a short
// step would die with it on a cgroup cluster, or escape the job's tracking on a linuxproc one.
import { z } from 'zod';
import { sha256 } from '../../spec/hash.js';
import type { JobRow } from './parse.js';
import { stepArgs, type StepPlace } from './srun-exec.js';

export interface AllocationJob {
  jobId: string;
  /** Where the host step runs: the allocation's first node. */
  node: string | null;
}

/** The running job of ours named `name`, else one running in the reservation `name`; the oldest
 * when there are several, so that agents do not move when another one starts. */
export function findAllocation(rows: readonly JobRow[], name: string): AllocationJob | null {
  const running = rows.filter((r) => r.state === 'RUNNING').sort((a, b) => Number(a.jobId) - Number(b.jobId));
  const job = running.find((r) => r.jobName === name) ?? running.find((r) => r.reservation === name);
  if (!job) return null;
  // A node list like `n[01-04]` names several: without a batch host, Slurm picks the node.
  const single = job.node !== null && !/[[,]/.test(job.node) ? job.node : null;
  return { jobId: job.jobId, node: job.batchHost ?? single };
}

/** One tmux server per allocation job and controller (two controllers of one user may share an allocation). */
export const allocationSocket = (jobId: string, owner: string): string =>
  `agentctl-a${jobId}-${sha256(owner).slice(0, 8)}`;

/** The host step's task. Slurm's linuxproc tracking cannot see "tmux: server" (a space in its
 * name), so a shell it can see holds the server and ends it when the allocation ends (TERM).
 * Without sessions the server stays (`-D` turns exit-empty off): the next agent starts at once. */
export const HOST_SCRIPT = [
  'unset TMUX TMUX_TMPDIR',
  'tmux -L "$1" -D -f /dev/null </dev/null & t=$!',
  'trap \'kill -TERM "$t" 2>/dev/null\' TERM INT HUP',
  'while kill -0 "$t" 2>/dev/null; do wait "$t"; done',
].join('\n');

/** srun's argv for the host step: output to a file on the node's side, nothing read from srun. */
export function hostStepArgs(place: StepPlace, socket: string, output: string): string[] {
  return [
    ...stepArgs(place, 'agentctl-tmux'),
    '--input=none',
    `--output=${output}`,
    `--error=${output}`,
    '/bin/sh',
    '-c',
    HOST_SCRIPT,
    'agentctl-host',
    socket,
  ];
}

/** What the runtime remembers of an allocation agent: `<dir>/<name>.placement`. `jobId` is null
 * while the agent waits for its allocation to run. */
export const Placement = z.object({
  allocation: z.string(),
  jobId: z.string().nullable(),
  node: z.string().nullable(),
  /** The incarnation's handle: the tmux token its session gets (the same while it waits). */
  token: z.string(),
  hash: z.string(),
  /** Epoch ms of the start request. */
  at: z.number(),
});
export type Placement = z.infer<typeof Placement>;

export const PLACEMENT_SUFFIX = '.placement';

export function parsePlacement(text: string): Placement | null {
  try {
    const p = Placement.safeParse(JSON.parse(text));
    return p.success ? p.data : null;
  } catch {
    return null;
  }
}
