// Raises the open-files limit for the whole bench by re-running it under `ulimit -n`: a tmux
// server inherits the limit of the client that starts it and needs about one file per session.
import { readFileSync } from 'node:fs';
import { execa } from 'execa';

export const WANTED_NOFILE = 65536;
const MARK = 'AGENTCTL_BENCH_NOFILE_RAISED';

/** The soft limit on open files of this process (from /proc, since Node has no getrlimit). */
export function softNoFile(): number {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const v = line?.split(/\s{2,}/)[1];
  return v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v ?? 1024);
}

/**
 * Returns null when the limit is already high enough (or was raised already); otherwise runs
 * this same script again through the one shell wrapper the bench uses and returns its exit code.
 * The argv reaches bash only as "$@": nothing in it is interpreted.
 */
export async function reexecWithHighLimit(minimum: number): Promise<number | null> {
  if (softNoFile() >= minimum || process.env[MARK] === '1') return null;
  const script = `ulimit -n ${WANTED_NOFILE} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"`;
  // Ctrl-C reaches the child too (same process group): it cleans up; this parent just waits.
  const child = execa('bash', ['-c', script, 'bash', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    reject: false,
    env: { [MARK]: '1' },
  });
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  const r = await child;
  return r.exitCode ?? 1;
}
