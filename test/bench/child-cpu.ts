// CPU time (user + sys) that this process's waited-for children used: /proc/self/stat cutime + cstime.
import { readFileSync } from 'node:fs';

/** Cumulative CPU ticks of all children this process has waited for (fields 16 and 17). */
export function childTicks(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3: cutime is field 16, cstime field 17.
  return Number(rest[13]) + Number(rest[14]);
}
