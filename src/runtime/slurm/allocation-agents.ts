// Agents as tmux sessions inside an allocation: placed, observed, stopped through srun --overlap; waiting while it does not run.
import type { Logger } from 'pino';
import type { Machine } from '../../exec/executor.js';
import { ExitFiles } from '../exit-files.js';
import { startSessions, newToken } from '../tmux/start.js';
import type { TmuxRuntime } from '../tmux/tmux-runtime.js';
import {
  RuntimeError,
  type BatchResult,
  type ExitInfo,
  type KeyStep,
  type ObservedAgent,
  type StartRequest,
  type StopRequest,
} from '../types.js';
import {
  allocationSocket,
  findAllocation,
  parsePlacement,
  PLACEMENT_SUFFIX,
  type AllocationJob,
  type Placement,
} from './allocation.js';
import { AllocationHosts } from './allocation-host.js';
import type { JobRow } from './parse.js';
import { attachInJob, tmuxInJob } from './terminal.js';

export interface AllocationOptions {
  machine: Machine;
  /** The Slurm runtime's run folder; allocation agents keep theirs in `alloc/` below it. */
  runDir: string;
  owner: string;
  baseEnv: Record<string, string>;
  log: Logger;
}

/** Reported for an agent whose allocation does not run (yet, or any more). */
export const ALLOCATION_NOT_RUNNING = 'AllocationNotRunning';

export class AllocationAgents {
  readonly dir: string;
  readonly exits: ExitFiles;
  private readonly hosts: AllocationHosts;
  /** Start requests of agents waiting for their allocation, kept in memory only: their env may
   * hold secrets. After a controller restart a waiting agent is not observed, and is started anew. */
  private readonly waiting = new Map<string, StartRequest>();

  constructor(private readonly o: AllocationOptions) {
    this.dir = `${o.runDir}/alloc`;
    this.exits = new ExitFiles(o.machine.files, this.dir);
    this.hosts = new AllocationHosts(o.machine);
  }

  private tmux(alloc: AllocationJob): TmuxRuntime {
    return tmuxInJob(this.o, alloc, allocationSocket(alloc.jobId, this.o.owner), this.dir);
  }

  private path(name: string): string {
    return `${this.dir}/${name}${PLACEMENT_SUFFIX}`;
  }

  async placements(): Promise<Map<string, Placement>> {
    const files = (await this.o.machine.files.list(this.dir)).filter((f) => f.endsWith(PLACEMENT_SUFFIX));
    const got = await this.o.machine.files.read(files.map((f) => `${this.dir}/${f}`));
    const out = new Map<string, Placement>();
    for (const f of files) {
      const p = got.get(`${this.dir}/${f}`);
      const parsed = p ? parsePlacement(p.text) : null;
      if (parsed) out.set(f.slice(0, -PLACEMENT_SUFFIX.length), parsed);
    }
    return out;
  }

  private async place(entries: readonly [string, Placement][]): Promise<void> {
    if (entries.length === 0) return;
    await this.o.machine.files.mkdir(this.dir, 0o700);
    await this.o.machine.files.write(
      entries.map(([name, p]) => ({ path: this.path(name), content: `${JSON.stringify(p)}\n`, mode: 0o600 })),
    );
  }

  /**
   * One tmux list per allocation that has agents (through srun), none when no agent is placed.
   * A waiting agent whose allocation now runs is started here: the runtime is its queue, as
   * slurmctld is a job's. An allocation that ended took its sessions along: they are not
   * reported (the controller asks exitOf). A tmux server that cannot be asked fails the whole
   * observation: an unanswered question is never "gone".
   */
  async observe(rows: readonly JobRow[]): Promise<{ agents: Map<string, ObservedAgent>; foreign: string[] }> {
    const agents = new Map<string, ObservedAgent>();
    const foreign: string[] = [];
    const places = await this.placements();
    if (places.size === 0) return { agents, foreign };
    const ready: StartRequest[] = [];
    for (const [name, p] of places) {
      if (p.jobId !== null) continue;
      const req = this.waiting.get(name);
      if (req && findAllocation(rows, p.allocation)) ready.push(req);
      else if (!findAllocation(rows, p.allocation))
        agents.set(name, waitingAgent(name, p, this.o.owner, ALLOCATION_NOT_RUNNING));
    }
    if (ready.length > 0) {
      const started = await this.start(ready, rows);
      for (const [name, outcome] of started) {
        if (!outcome.error) continue;
        this.o.log.warn(
          { agent: name, error: outcome.error.message },
          'cannot start the agent in its allocation; it keeps waiting',
        );
        agents.set(name, waitingAgent(name, places.get(name)!, this.o.owner, 'AllocationStartFailed'));
      }
    }
    const placed = new Map<string, { alloc: AllocationJob; names: Map<string, Placement> }>();
    const live = new Map(rows.filter((r) => r.state === 'RUNNING').map((r) => [r.jobId, r]));
    for (const [name, p] of ready.length > 0 ? await this.placements() : places) {
      if (p.jobId === null || !live.has(p.jobId)) continue;
      const group = placed.get(p.jobId) ?? { alloc: { jobId: p.jobId, node: p.node }, names: new Map() };
      group.names.set(name, p);
      placed.set(p.jobId, group);
    }
    await Promise.all(
      [...placed.values()].map(async ({ alloc, names }) => {
        const obs = await this.tmux(alloc)
          .observe()
          .catch((err: Error) => {
            throw new RuntimeError(
              `cannot observe the agents in allocation job ${alloc.jobId}: ${err.message}`,
              { runtime: 'slurm' },
              { cause: err },
            );
          });
        foreign.push(...obs.foreign.map((s) => `${s}@${alloc.jobId}`));
        for (const [name, p] of names) {
          const a = obs.agents.get(name);
          if (!a || a.handle !== p.token || a.owner !== this.o.owner) continue;
          agents.set(name, {
            ...a,
            runtime: 'slurm',
            state: a.alive ? 'RUNNING' : 'EXITED',
            ...(alloc.node ? { node: alloc.node } : {}),
          });
        }
      }),
    );
    return { agents, foreign };
  }

  /** Starts each agent in its allocation, all of one allocation in one tmux call; an agent whose
   * allocation does not run is recorded as waiting and reported pending. */
  async start(requests: readonly StartRequest[], rows: readonly JobRow[]): Promise<BatchResult> {
    const result: BatchResult = new Map();
    const previous = await this.placements();
    const groups = new Map<string, { alloc: AllocationJob; reqs: StartRequest[]; tokens: Map<string, string> }>();
    const waiting: [string, Placement][] = [];
    for (const req of requests) {
      const name = req.slurm!.allocation!;
      const alloc = findAllocation(rows, name);
      // An agent that waited keeps its handle: the controller sees the same incarnation start.
      const was = previous.get(req.name);
      const token =
        was && was.jobId === null && was.hash === req.hash && this.waiting.get(req.name) === req
          ? was.token
          : newToken();
      if (!alloc) {
        this.waiting.set(req.name, req);
        waiting.push([req.name, { allocation: name, jobId: null, node: null, token, hash: req.hash, at: Date.now() }]);
        result.set(req.name, { handle: token });
        continue;
      }
      const g = groups.get(alloc.jobId) ?? { alloc, reqs: [] as StartRequest[], tokens: new Map<string, string>() };
      g.reqs.push(req);
      g.tokens.set(req.name, token);
      groups.set(alloc.jobId, g);
    }
    await this.place(waiting);
    await Promise.all(
      [...groups.values()].map(async ({ alloc, reqs, tokens }) => {
        const tmux = this.tmux(alloc);
        try {
          await this.exits.prepare();
          await this.hosts.ensure(alloc, tmux.client, `${this.dir}/host-${alloc.jobId}.out`);
          const started = await startSessions(
            {
              client: tmux.client,
              files: this.o.machine.files,
              exits: this.exits,
              owner: this.o.owner,
              baseEnv: this.o.baseEnv,
            },
            reqs,
            tokens,
          );
          const placed: [string, Placement][] = [];
          for (const req of reqs) {
            const outcome = started.get(req.name) ?? { error: new Error('not started') };
            result.set(req.name, outcome);
            if (outcome.handle === undefined) continue;
            this.waiting.delete(req.name);
            placed.push([
              req.name,
              {
                allocation: req.slurm!.allocation!,
                jobId: alloc.jobId,
                node: alloc.node,
                token: outcome.handle,
                hash: req.hash,
                at: Date.now(),
              },
            ]);
          }
          await this.place(placed);
        } catch (err) {
          for (const req of reqs) result.set(req.name, { error: err as Error });
        }
      }),
    );
    return result;
  }

  /** Ends the agents' sessions (TERM, grace, KILL, kill-session), never the allocation. */
  async stop(requests: readonly StopRequest[], rows: readonly JobRow[]): Promise<BatchResult> {
    const result: BatchResult = new Map(requests.map((r) => [r.name, {}]));
    const places = await this.placements();
    const running = new Set(rows.filter((r) => r.state === 'RUNNING').map((r) => r.jobId));
    const byJob = new Map<string, { alloc: AllocationJob; reqs: StopRequest[] }>();
    const done: string[] = [];
    for (const req of requests) {
      const p = places.get(req.name);
      this.waiting.delete(req.name);
      if (!p) continue;
      done.push(req.name);
      // An allocation that ended took its sessions along.
      if (p.jobId === null || !running.has(p.jobId)) continue;
      const g = byJob.get(p.jobId) ?? { alloc: { jobId: p.jobId, node: p.node }, reqs: [] };
      // Only the incarnation this placement stands for is signalled.
      g.reqs.push({ ...req, ...(req.observed?.handle === p.token ? {} : { observed: undefined }) });
      byJob.set(p.jobId, g);
    }
    await Promise.all(
      [...byJob.values()].map(async ({ alloc, reqs }) => {
        const stopped = await this.tmux(alloc)
          .stop(reqs)
          .catch((err: Error) => new Map(reqs.map((r) => [r.name, { error: err }])));
        for (const [name, o] of stopped) if (o.error) result.set(name, o);
      }),
    );
    await this.o.machine.files.remove(done.filter((n) => !result.get(n)?.error).map((n) => this.path(n)));
    return result;
  }

  exitOf(name: string, handle: string): Promise<ExitInfo | null> {
    return this.exits.read(name, handle);
  }

  /** The allocation job an agent's session is in, when it is placed in one that runs. */
  async where(name: string, rows: readonly JobRow[]): Promise<AllocationJob | undefined> {
    const p = (await this.placements()).get(name);
    if (!p || p.jobId === null || !rows.some((r) => r.jobId === p.jobId && r.state === 'RUNNING')) return undefined;
    return { jobId: p.jobId, node: p.node };
  }

  logs(alloc: AllocationJob, name: string, lines: number): Promise<string> {
    return this.tmux(alloc).logs(name, lines);
  }

  async capture(alloc: AllocationJob, names: readonly string[]): Promise<Map<string, string>> {
    return this.tmux(alloc).capture(names);
  }

  sendKeys(alloc: AllocationJob, name: string, steps: readonly KeyStep[]): Promise<void> {
    return this.tmux(alloc).sendKeys(name, steps);
  }

  attach(alloc: AllocationJob, name: string): Promise<number> {
    return attachInJob(this.o.machine, alloc, allocationSocket(alloc.jobId, this.o.owner), name);
  }
}

function waitingAgent(name: string, p: Placement, owner: string, reason: string): ObservedAgent {
  return {
    name,
    runtime: 'slurm',
    handle: p.token,
    hash: p.hash,
    owner,
    alive: true,
    pending: true,
    reason,
    state: 'PENDING',
  };
}
