// Every tmux session holds a pty: the kernel's limit (kernel.pty.max, 4096 by default, of which a
// container gets max - reserve) caps how many sessions can run at all. The bench raises it for
// its largest size when it may (root), as it raises `ulimit -n`, and puts it back afterwards.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Cleanup } from './cleanup.js';

const MAX = '/proc/sys/kernel/pty/max';
const NR = '/proc/sys/kernel/pty/nr';
const RESERVE = '/proc/sys/kernel/pty/reserve';

const read = (p: string): number => Number(readFileSync(p, 'utf8').trim());

/** Ptys this bench may still open: max - reserve - in use (approximately: the reserve is for the
 * host's own devpts instance). */
export function ptysAvailable(): number {
  try {
    return read(MAX) - read(RESERVE) - read(NR);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Raises kernel.pty.max so that `wanted` more sessions fit; returns a note on what it did. */
export function raisePtyLimit(cleanup: Cleanup, wanted: number): string {
  let before: number;
  try {
    before = read(MAX);
  } catch {
    return 'pty limit: unknown';
  }
  const need = read(RESERVE) + read(NR) + wanted + 1024;
  if (need <= before) return `pty limit ${before}`;
  try {
    writeFileSync(MAX, String(need));
  } catch (err) {
    return `pty limit ${before}: cannot raise it to ${need} (${(err as NodeJS.ErrnoException).code ?? 'error'}); sizes above ${Math.max(0, ptysAvailable())} sessions will fail`;
  }
  cleanup.add(`kernel.pty.max back to ${before}`, () => writeFileSync(MAX, String(before)));
  return `pty limit raised ${before} -> ${need} for this run`;
}
