// Maps spec.health{enabled, method, command|url, interval, timeout, retries} to healthCheck.
//
// The older tool's health method was `multiplexer-alive` (earlier `screen-alive`): is the agent's
// terminal session still there. agentctl watches every agent's process itself and restarts it
// per restartPolicy, so that method needs no health check; only a command or a URL becomes one.
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

const ALIVE_METHODS = new Set(['multiplexer-alive', 'screen-alive', 'tmux-alive']);

export function mapHealth(old: unknown, notes: Notes): NewHealthCheck | undefined {
  if (!isMap(old)) {
    notes.notMapped('spec.health', old, 'not a map');
    return undefined;
  }
  if (old.enabled === false) return undefined; // switched off: nothing to check
  const out: NewHealthCheck = {};
  let alive = false;
  for (const [key, value] of Object.entries(old)) {
    const path = child('spec.health', key);
    if (key === 'enabled') {
      if (typeof value !== 'boolean') notes.notMapped(path, value, 'not true or false');
    } else if (key === 'method') {
      if (typeof value === 'string' && ALIVE_METHODS.has(value)) alive = true;
      else notes.notMapped(path, value, 'the older methods are multiplexer-alive and screen-alive');
    } else if (key === 'command') mapCommand(value, path, out, notes);
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
    // The default method too: a bare `health: {enabled: true, interval: 60}` is multiplexer-alive.
    if (alive || old.method === undefined)
      notes.add(
        'health was multiplexer-alive: agentctl watches the process itself and restarts it per restartPolicy, no health check needed',
      );
    else notes.notMapped('spec.health', old, 'neither a command nor a URL to check');
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
