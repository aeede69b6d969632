// Resource use of one process from /proc: resident memory and CPU time.
import { readFileSync } from 'node:fs';
import { execa } from 'execa';

/** VmRSS and VmHWM (peak) in kB. */
export function memoryKb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (k: string): number =>
    Number(/\s(\d+) kB/.exec(status.split('\n').find((l) => l.startsWith(`${k}:`)) ?? '')?.[1] ?? Number.NaN);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** utime + stime in clock ticks (fields 14 and 15 of /proc/PID/stat, after the parenthesised name). */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state): utime is field 14, stime field 15.
  return Number(rest[11]) + Number(rest[12]);
}

let ticks: number | undefined;

export async function clockTicksPerSecond(): Promise<number> {
  if (ticks === undefined) {
    const r = await execa('getconf', ['CLK_TCK'], { reject: false });
    const n = Number(String(r.stdout).trim());
    ticks = Number.isFinite(n) && n > 0 ? n : 100;
  }
  return ticks;
}

/** Waits until the process uses (almost) no CPU: `windowMs` in a row below `maxPct` of a core. */
export async function waitIdle(pid: number, windowMs = 2000, maxPct = 5, maxMs = 120_000): Promise<number> {
  const hz = await clockTicksPerSecond();
  const t0 = performance.now();
  let before = cpuTicks(pid);
  for (;;) {
    await new Promise((r) => setTimeout(r, windowMs));
    const now = cpuTicks(pid);
    const used = ((now - before) / hz) * 1000;
    before = now;
    if ((used / windowMs) * 100 <= maxPct || performance.now() - t0 > maxMs) return performance.now() - t0;
  }
}
