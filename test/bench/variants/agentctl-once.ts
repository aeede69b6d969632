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

export async function convergeFleet(cleanup: Cleanup, n: number, prefix = 'a'): Promise<{ run: ConvergeRun; fleet: Fleet }> {
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
      extra: { durationMs: r.done.durationMs, observeCalls: r.done.observeCalls, tmuxServerCpuMs: await tmux.serverCpuMs() },
    };
    return { run, fleet: { tmux, ws, names, env, teardown } };
  } catch (err) {
    await teardown();
    throw err;
  }
}

export async function agentctlOnce(cleanup: Cleanup, n: number): Promise<ConvergeRun> {
  const { run, fleet } = await convergeFleet(cleanup, n);
  await fleet.teardown();
  return run;
}
