// Signals to whole process groups (an agent and everything it started), on any machine.
import type { Machine } from '../exec/executor.js';

/** Sends `sig` to the process groups led by `pids`. Locally through kill(2) (no subprocess);
 * elsewhere with one `kill` call for all of them. A group that is already gone is not an error. */
export async function signalGroups(machine: Machine, pids: readonly number[], sig: 'TERM' | 'KILL'): Promise<void> {
  if (pids.length === 0) return;
  if (machine.name === 'local') {
    for (const pid of pids) signalGroupLocal(pid, sig);
    return;
  }
  // `kill -s SIG -- -PID...`: the negative pids name groups; some may be gone (exit 1, ignored).
  await machine.exec.run('kill', ['-s', sig, '--', ...pids.map((p) => `-${p}`)], { timeoutMs: 10_000 });
}

export function signalGroupLocal(pid: number, sig: 'TERM' | 'KILL'): void {
  try {
    process.kill(-pid, `SIG${sig}`);
  } catch {
    // ESRCH: the group is already gone.
  }
}
