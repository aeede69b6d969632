// Maps spec.slurm of the older tool's slurm runtime to agentctl's slurm section.
import { HostPath, Slurm, type SlurmSpec } from '../spec/schema.js';
import type { Notes } from './notes.js';
import { asText, child, isMap, isStringList, positiveInt } from './values.js';

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

/** sbatch options agentctl has no field for: they become extra directives. */
const AS_DIRECTIVES: Record<string, string> = { nodes: '--nodes', ntasks: '--ntasks', signal: '--signal' };

/** What the older tool did itself, which agentctl does its own way. */
const NOT_NEEDED: Record<string, string> = {
  job_name: 'agentctl names the job agentctl.NAME',
  auto_resubmit: 'agentctl resubmits per restartPolicy (and slurm.walltimeRollover)',
  hold: 'agentctl keeps the job for as long as the agent runs',
  hooks: 'no Slurm-specific hooks: use spec.hooks',
};

export function mapSlurm(old: unknown, notes: Notes): SlurmSpec | undefined {
  if (!isMap(old)) {
    notes.notMapped('spec.slurm', old, 'not a map');
    return undefined;
  }
  const out: SlurmSpec = {};
  const extra: string[] = [];
  for (const [key, value] of Object.entries(old)) {
    const field = FIELDS[key];
    const path = child('spec.slurm', key);
    if (field !== undefined) {
      const converted =
        field === 'cpusPerTask' ? positiveInt(value) : field === 'memory' ? memory(value) : asText(value);
      // Each field is checked against the real schema so one bad value drops only itself.
      const checked = Slurm.shape[field].safeParse(converted);
      if (converted === undefined || !checked.success)
        notes.notMapped(path, value, checked.success ? 'wrong type' : checked.error.issues[0]?.message);
      else Object.assign(out, { [field]: checked.data });
    } else if (key === 'logs_dir') {
      const dir = HostPath.safeParse(value);
      if (dir.success) out.logsDir = dir.data;
      else notes.notMapped(path, value, 'must be absolute or start with ~/');
    } else if (key === 'extra_directives') {
      if (isStringList(value)) extra.push(...value);
      else notes.notMapped(path, value, 'not a list of strings');
    } else if (AS_DIRECTIVES[key] !== undefined) {
      const text = asText(value);
      if (text === undefined || /\s/.test(text) || text === '') notes.notMapped(path, value, 'not a single value');
      else extra.push(`${AS_DIRECTIVES[key]}=${text}`);
    } else if (NOT_NEEDED[key] !== undefined) notes.notMapped(path, value, NOT_NEEDED[key]);
    else notes.notMapped(path, value);
  }
  if (extra.length > 0) out.extraDirectives = extra;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Slurm reads `4GB` and `4g` as `4G`; agentctl's schema wants the short upper-case form. */
function memory(v: unknown): string | undefined {
  const text = asText(v);
  return text
    ?.trim()
    .replace(/^(\d+)\s*([kmgtKMGT])[bB]?$/, (_m, n: string, unit: string) => `${n}${unit.toUpperCase()}`);
}
