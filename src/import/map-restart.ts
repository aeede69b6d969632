// Maps spec.restart{policy,backoff} to restartPolicy and backoff.
import type { BackoffSpec, RestartPolicy } from '../spec/schema.js';
import type { Notes } from './notes.js';
import { child, isMap, seconds } from './values.js';

const POLICIES: Record<string, RestartPolicy> = {
  always: 'Always',
  'on-failure': 'OnFailure',
  on_failure: 'OnFailure',
  onfailure: 'OnFailure',
  never: 'Never',
  no: 'Never',
};

/** agentctl's defaults, used to keep `maxSeconds >= initialSeconds` when only one is given. */
const DEFAULT_INITIAL_SECONDS = 10;
const DEFAULT_MAX_SECONDS = 300;

export interface NewRestart {
  restartPolicy?: RestartPolicy;
  backoff?: Partial<BackoffSpec>;
}

/** Without spec.restart the older tool never restarted an agent (policy `never`); agentctl's
 * default is Always, so the older default is written out. */
export function defaultRestart(notes: Notes): NewRestart {
  notes.add("no restart policy: the older tool's default was never (agentctl's is Always)", ['spec', 'restartPolicy']);
  return { restartPolicy: 'Never' };
}

export function mapRestart(old: unknown, notes: Notes): NewRestart {
  // `restart: always` is the short form of `restart: {policy: always}`.
  const r = typeof old === 'string' ? { policy: old } : old;
  if (!isMap(r)) {
    notes.notMapped('spec.restart', old, 'not a map');
    return {};
  }
  const out: NewRestart = {};
  let maxRetries: number | undefined;
  for (const [key, value] of Object.entries(r)) {
    const path = child('spec.restart', key);
    if (key === 'policy') {
      const policy = typeof value === 'string' ? POLICIES[value.trim().toLowerCase()] : undefined;
      if (policy) out.restartPolicy = policy;
      else notes.notMapped(path, value, 'policies are always, on-failure, never');
    } else if (key === 'backoff') {
      const backoff = mapBackoff(value, path, notes);
      if (backoff) out.backoff = backoff;
    } else if (key === 'max_retries' || key === 'max_restarts') {
      // The older tool gave up after this many restarts; agentctl ends the agent Failed (RetryLimit).
      const v = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
      const n = typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
      if (n === undefined) notes.notMapped(path, value, 'not a whole number');
      else maxRetries = n;
    } else notes.notMapped(path, value);
  }
  if (maxRetries !== undefined) out.backoff = { ...out.backoff, maxRetries };
  if (r.policy === undefined) return { ...defaultRestart(notes), ...out };
  return out;
}

const BACKOFF_KEYS: Record<string, keyof BackoffSpec> = {
  initial: 'initialSeconds',
  initial_seconds: 'initialSeconds',
  min: 'initialSeconds',
  max: 'maxSeconds',
  max_seconds: 'maxSeconds',
  reset_after: 'resetAfterSeconds',
  reset_after_seconds: 'resetAfterSeconds',
};

/** A number (or duration) is the initial delay; a map may also give the cap and the reset. */
function mapBackoff(old: unknown, path: string, notes: Notes): Partial<BackoffSpec> | undefined {
  const b = isMap(old) ? old : { initial: old };
  const out: Partial<BackoffSpec> = {};
  for (const [key, value] of Object.entries(b)) {
    const field = BACKOFF_KEYS[key];
    const s = seconds(value);
    const at = isMap(old) ? child(path, key) : path;
    if (field === undefined)
      notes.notMapped(
        at,
        value,
        key === 'factor' || key === 'multiplier' ? 'agentctl always doubles the delay' : undefined,
      );
    else if (s === undefined) notes.notMapped(at, value, 'not a duration');
    else out[field] = s;
  }
  const initial = out.initialSeconds;
  const max = out.maxSeconds ?? DEFAULT_MAX_SECONDS;
  if (initial !== undefined && max < initial) {
    const cap = out.maxSeconds === undefined ? `agentctl's default cap (${max}s)` : `the cap (${max}s)`;
    notes.add(`backoff: the initial delay ${initial}s is above ${cap}: maxSeconds raised to ${initial}`, [
      'spec',
      'backoff',
    ]);
    out.maxSeconds = initial;
  }
  if (initial === undefined && out.maxSeconds !== undefined && out.maxSeconds < DEFAULT_INITIAL_SECONDS) {
    notes.add(
      `backoff: the cap ${out.maxSeconds}s is below agentctl's default initial delay (${DEFAULT_INITIAL_SECONDS}s): initialSeconds lowered to ${out.maxSeconds}`,
      ['spec', 'backoff'],
    );
    out.initialSeconds = out.maxSeconds;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
