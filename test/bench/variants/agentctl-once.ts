// agentctl: `reconcile --once --settle 0` over N fresh specs on a fresh socket and state dir.
import { reconcileOnce } from '../agentctl-cli.js';
import type { Cleanup } from '../cleanup.js';
import { writeAgents } from '../spec-files.js';
import { BenchTmux } from '../tmux-server.js';
import { workspace, type Workspace } from '../workspace.js';
import { NotConvergedError, type ConvergeRun } from './converge-run.js';

/** A converged fleet left running for the sections that need one (no-op, idle CPU). */
export interface Fleet {
  tmux: BenchTmux;
  ws: Workspace;
  names: string[];
  env: Record<string, string>;
  teardown(): Promise<void>;
}

export async function convergeFleet(
  cleanup: Cleanup,
  n: number,
  prefix = 'a',
): Promise<{ run: ConvergeRun; fleet: Fleet }> {
  const tmux = new BenchTmux(cleanup);
  const ws = workspace(cleanup, 'agentctl');
  const teardown = async (): Promise<void> => {
    await tmux.kill();
    await ws.remove();
  };
  try {
    const names = writeAgents(ws.specs, prefix, n);
    const env = ws.env(tmux.socket);
    const r = await reconcileOnce(cleanup, env);
    const got = await tmux.count();
    if (got !== n) throw new NotConvergedError('agentctl', n, got);
    const run: ConvergeRun = {
      variant: 'agentctl',
      n,
      wallMs: r.wallMs,
      subprocesses: r.done.subprocesses,
      extra: {
        durationMs: r.done.durationMs,
        observeCalls: r.done.observeCalls,
        tmuxServerCpuMs: await tmux.serverCpuMs(),
      },
    };
    return { run, fleet: { tmux, ws, names, env, teardown } };
  } catch (err) {
    await teardown();
    throw err;
  }
}

const ACTIONS = new Set(['create', 'recreate', 'restart', 'stop', 'prune']);

/** Cold converge, then one no-op `reconcile --once` over the converged fleet (for the growth of
 * no-op work with N): its wall time, own durationMs and subprocesses go into `extra`. */
export async function agentctlOnce(cleanup: Cleanup, n: number): Promise<ConvergeRun> {
  const { run, fleet } = await convergeFleet(cleanup, n);
  try {
    const noop = await reconcileOnce(cleanup, fleet.env);
    const acted = noop.lines.filter((l) => l.action !== undefined && ACTIONS.has(l.action)).length;
    if (acted > 0) throw new Error(`agentctl: the no-op run after converging ${n} agents took ${acted} action(s)`);
    run.extra.noopWallMs = noop.wallMs;
    run.extra.noopDurationMs = noop.done.durationMs;
    run.extra.noopSubprocesses = noop.done.subprocesses;
  } finally {
    await fleet.teardown();
  }
  return run;
}
