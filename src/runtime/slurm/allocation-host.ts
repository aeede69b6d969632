// The tmux server inside an allocation: found answering, or started as a long step whose srun runs detached.
import type { Machine } from '../../exec/executor.js';
import type { TmuxClient } from '../tmux/client.js';
import { RuntimeError } from '../types.js';
import { hostStepArgs, type AllocationJob } from './allocation.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const HOST_START_MS = 20_000;

/** `srun` stays on the submitting machine for the life of the step; detached from us (its own
 * session, stdio closed), so no call waits for it. The step's output goes to a file on the node. */
const DETACH = 'exec setsid -f "$@" </dev/null >/dev/null 2>&1';

export class AllocationHosts {
  /** One start at a time per socket: two `tmux -D` on one socket would orphan the first server. */
  private readonly starting = new Map<string, Promise<void>>();

  constructor(private readonly machine: Machine) {}

  /** Resolves once a tmux server answers on the socket inside the allocation. `client` reaches it
   * through srun and never starts a server itself (`-N`). */
  ensure(alloc: AllocationJob, client: TmuxClient, output: string): Promise<void> {
    const key = `${alloc.jobId}/${client.socket}`;
    const busy = this.starting.get(key);
    if (busy) return busy;
    const p = this.start(alloc, client, output).finally(() => this.starting.delete(key));
    this.starting.set(key, p);
    return p;
  }

  private async start(alloc: AllocationJob, client: TmuxClient, output: string): Promise<void> {
    const answers = async (): Promise<boolean> => (await client.run(['start-server'])).exitCode === 0;
    if (await answers()) return;
    const r = await this.machine.exec.run(
      'sh',
      ['-c', DETACH, 'sh', 'srun', ...hostStepArgs(alloc, client.socket, output)],
      { timeoutMs: 10_000 },
    );
    if (r.exitCode !== 0)
      throw new RuntimeError(
        `cannot start the tmux host step in allocation job ${alloc.jobId}: ${r.stderr.trim() || `exit code ${r.exitCode}`}`,
        { runtime: 'slurm', command: 'srun', stderr: r.stderr },
      );
    const until = Date.now() + HOST_START_MS;
    while (Date.now() < until) {
      await sleep(100);
      if (await answers()) return;
    }
    throw new RuntimeError(
      `the tmux server in allocation job ${alloc.jobId} did not answer within ${HOST_START_MS / 1000}s (its step writes to ${output} on the node)`,
      { runtime: 'slurm', command: 'srun' },
    );
  }
}
