// PM2: `pm2 start` of an ecosystem file with the same N apps, timed until `pm2 jlist` says all
// are online. The daemon starts cold, as the tmux server does in the other variants.
import type { Cleanup } from '../cleanup.js';
import { Pm2Home } from '../pm2.js';
import { agentName } from '../spec-files.js';
import { NotConvergedError, type ConvergeRun } from './converge-run.js';

export async function pm2Start(cleanup: Cleanup, n: number): Promise<ConvergeRun> {
  const pm2 = new Pm2Home(cleanup);
  try {
    const names = Array.from({ length: n }, (_, i) => agentName('a', i + 1));
    const file = pm2.writeEcosystem(names);
    let spawned = 1;
    const t0 = performance.now();
    const r = await pm2.run(['start', file]);
    if (r.exitCode !== 0) throw new Error(`pm2 start failed: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`);
    const startMs = performance.now() - t0;
    let online = 0;
    for (;;) {
      spawned++;
      const list = await pm2.list();
      online = [...list.values()].filter((s) => s === 'online').length;
      if (online >= n || performance.now() - t0 > 300_000) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    const wallMs = performance.now() - t0;
    if (online !== n) throw new NotConvergedError('pm2', n, online);
    return { variant: 'pm2', n, wallMs, subprocesses: spawned, extra: { pm2StartReturnedMs: startMs } };
  } finally {
    const k0 = performance.now();
    await pm2.kill();
    process.stderr.write(`  (pm2 kill took ${Math.round(performance.now() - k0)} ms)\n`);
  }
}
