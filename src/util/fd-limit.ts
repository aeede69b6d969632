// The process's open-file limit, read from /proc (Linux); Node itself raises the soft limit to the hard one at start.
import { readFileSync } from 'node:fs';

export interface FdLimit {
  soft: number;
  hard: number;
}

/** `Max open files  SOFT  HARD  files` of /proc/<pid>/limits; "unlimited" as Infinity (pure). */
export function parseFdLimit(limits: string): FdLimit | undefined {
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(limits);
  if (!m) return undefined;
  const n = (s: string): number => (s === 'unlimited' ? Infinity : Number(s));
  return { soft: n(m[1]!), hard: n(m[2]!) };
}

/** This process's limit; undefined where /proc is not there. */
export function fdLimit(pid: number | 'self' = 'self'): FdLimit | undefined {
  try {
    return parseFdLimit(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  } catch {
    return undefined;
  }
}
