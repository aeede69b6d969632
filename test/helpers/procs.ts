// Processes for tests, read from /proc: descendants of a pid, processes of a uid, argvs; signals by pid.
import { readdirSync, readFileSync } from 'node:fs';

const pids = (): number[] =>
  readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number);

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The parent of a process, from /proc/PID/stat (the field after the parenthesised name). */
function parentOf(pid: number): number | null {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return null;
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of pids()) {
    const parent = parentOf(pid);
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

export function processesOf(uid: number): number[] {
  return pids().filter((pid) => {
    const m = /^Uid:\s+(\d+)/m.exec(read(`/proc/${pid}/status`) ?? '');
    return m !== null && Number(m[1]) === uid;
  });
}

/** Every process's argv (NUL-separated in /proc), with its pid and uid. */
export function allArgv(): { pid: number; uid: number; argv: string[] }[] {
  return pids().flatMap((pid) => {
    const cmd = read(`/proc/${pid}/cmdline`);
    const uid = /^Uid:\s+(\d+)/m.exec(read(`/proc/${pid}/status`) ?? '');
    return cmd === null || uid === null ? [] : [{ pid, uid: Number(uid[1]), argv: cmd.split('\0').slice(0, -1) }];
  });
}

export function signalAll(list: number[], signal: NodeJS.Signals): void {
  for (const pid of list) {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Kills every process of a (throwaway test) user by pid, until none is left. */
export async function killUserProcesses(uid: number): Promise<void> {
  if (uid === 0) throw new Error('refusing to kill the processes of root');
  for (let i = 0; i < 100; i++) {
    const left = processesOf(uid);
    if (left.length === 0) return;
    signalAll(left, 'SIGCONT');
    signalAll(left, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 20));
  }
}
