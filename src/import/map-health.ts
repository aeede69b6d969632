// Maps spec.health{command|url, interval, timeout, retries} to healthCheck.
import { HealthCheck } from '../spec/schema.js';
import type { Notes } from './notes.js';
import { child, isMap, isStringList, positiveInt, seconds } from './values.js';

export interface NewHealthCheck {
  exec?: string[];
  http?: string;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  initialDelaySeconds?: number;
}

const DURATIONS: Record<string, 'periodSeconds' | 'timeoutSeconds' | 'initialDelaySeconds'> = {
  interval: 'periodSeconds',
  timeout: 'timeoutSeconds',
  start_period: 'initialDelaySeconds',
  initial_delay: 'initialDelaySeconds',
};

export function mapHealth(old: unknown, notes: Notes): NewHealthCheck | undefined {
  if (!isMap(old)) {
    notes.notMapped('spec.health', old, 'not a map');
    return undefined;
  }
  const out: NewHealthCheck = {};
  for (const [key, value] of Object.entries(old)) {
    const path = child('spec.health', key);
    if (key === 'command') mapCommand(value, path, out, notes);
    else if (key === 'url') {
      if (typeof value === 'string') out.http = value;
      else notes.notMapped(path, value, 'not a string');
    } else if (key === 'retries') {
      const n = positiveInt(value);
      if (n === undefined) notes.notMapped(path, value, 'not a positive integer');
      else out.failureThreshold = n;
    } else if (DURATIONS[key] !== undefined) {
      const s = seconds(value);
      if (s === undefined) notes.notMapped(path, value, 'not a duration');
      else out[DURATIONS[key]] = s;
    } else notes.notMapped(path, value);
  }
  if (out.exec && out.http) {
    notes.notMapped('spec.health.url', out.http, 'a health check is a command or a URL, and the command wins');
    delete out.http;
  }
  if (!out.exec && !out.http) {
    notes.notMapped('spec.health', old, 'neither command nor url');
    return undefined;
  }
  const checked = HealthCheck.safeParse(out);
  if (!checked.success) {
    notes.notMapped('spec.health', old, checked.error.issues[0]?.message);
    return undefined;
  }
  return out;
}

/** The old tool ran a string through a shell; agentctl takes an argv, so the shell is explicit. */
function mapCommand(value: unknown, path: string, out: NewHealthCheck, notes: Notes): void {
  if (isStringList(value) && value.length > 0 && value[0] !== '') out.exec = value;
  else if (typeof value === 'string' && value.trim() !== '') {
    out.exec = ['sh', '-c', value];
    notes.add('the health command was a shell string: it runs through sh -c', ['spec', 'healthCheck', 'exec']);
  } else notes.notMapped(path, value, 'not a command');
}
