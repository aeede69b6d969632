// Maps spec.slurm{partition,time_limit,cpus_per_task,mem,gres} (and account, qos) to slurm.
import { Slurm, type SlurmSpec } from '../spec/schema.js';
import type { Notes } from './notes.js';
import { asText, child, isMap, positiveInt } from './values.js';

type Field = 'partition' | 'timeLimit' | 'cpusPerTask' | 'memory' | 'gres' | 'account' | 'qos' | 'reservation';

const FIELDS: Record<string, Field> = {
  partition: 'partition',
  time_limit: 'timeLimit',
  time: 'timeLimit',
  cpus_per_task: 'cpusPerTask',
  mem: 'memory',
  memory: 'memory',
  gres: 'gres',
  account: 'account',
  qos: 'qos',
  reservation: 'reservation',
};

export function mapSlurm(old: unknown, notes: Notes): SlurmSpec | undefined {
  if (!isMap(old)) {
    notes.notMapped('spec.slurm', old, 'not a map');
    return undefined;
  }
  const out: SlurmSpec = {};
  for (const [key, value] of Object.entries(old)) {
    const field = FIELDS[key];
    const path = child('spec.slurm', key);
    if (field === undefined) {
      notes.notMapped(path, value);
      continue;
    }
    const converted = field === 'cpusPerTask' ? positiveInt(value) : field === 'memory' ? memory(value) : asText(value);
    // Each field is checked against the real schema so one bad value drops only itself.
    const checked = Slurm.shape[field].safeParse(converted);
    if (converted === undefined || !checked.success) notes.notMapped(path, value, checked.success ? 'wrong type' : checked.error.issues[0]?.message);
    else Object.assign(out, { [field]: checked.data });
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Slurm reads `4GB` and `4g` as `4G`; agentctl's schema wants the short upper-case form. */
function memory(v: unknown): string | undefined {
  const text = asText(v);
  return text?.trim().replace(/^(\d+)\s*([kmgtKMGT])[bB]?$/, (_m, n: string, unit: string) => `${n}${unit.toUpperCase()}`);
}
