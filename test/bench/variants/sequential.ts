// Sequential: one `tmux has-session` and one `tmux new-session` process per agent, one after the
// other, as the older per-agent start scripts do (without their sleeps).
import type { Cleanup } from '../cleanup.js';
import { AGENT_ARGV, agentName } from '../spec-files.js';
import { BenchTmux } from '../tmux-server.js';
import { NotConvergedError, type ConvergeRun } from './converge-run.js';

export async function sequential(cleanup: Cleanup, n: number): Promise<ConvergeRun> {
  const tmux = new BenchTmux(cleanup);
  try {
    let spawned = 0;
    const t0 = performance.now();
    for (let i = 1; i <= n; i++) {
      cleanup.check();
      const name = agentName('a', i);
      spawned++;
      if ((await tmux.run(['has-session', '-t', `=${name}`])).exitCode === 0) continue;
      spawned++;
      const r = await tmux.run(['new-session', '-d', '-s', name, '-c', '/tmp', '--', ...AGENT_ARGV]);
      if (r.exitCode !== 0) throw new Error(`sequential: new-session ${name} failed: ${r.stderr.trim()}`);
    }
    const wallMs = performance.now() - t0;
    const got = await tmux.count();
    if (got !== n) throw new NotConvergedError('sequential', n, got);
    return {
      variant: 'sequential',
      n,
      wallMs,
      subprocesses: spawned,
      extra: { tmuxServerCpuMs: await tmux.serverCpuMs() },
    };
  } finally {
    await tmux.kill();
  }
}
