// Which values are secrets, and how they are hidden before anything is printed or stored (pure).
import { createHash } from 'node:crypto';

const SECRET_KEY = /TOKEN|SECRET|PASSWORD|KEY/i;
export const REDACTED = '<redacted>';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A copy of an env map with secret-looking keys' values replaced. */
export function redactEnv(env: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!env) return env;
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, isSecretKey(k) && v !== null ? REDACTED : v]));
}

/** A copy of a spec (or merge patch of one) whose env secrets are hidden. */
export function redactSpec<T>(spec: T): T {
  if (spec === null || typeof spec !== 'object') return spec;
  const s = spec as Record<string, unknown>;
  if (!('env' in s) || typeof s.env !== 'object' || s.env === null) return spec;
  return { ...s, env: redactEnv(s.env as Record<string, unknown>) } as T;
}

/** Replaces every occurrence of the given secret values in a text. */
export function scrub(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(REDACTED);
  return out;
}

/** Stands in for a secret env value in stored specs (the registry): equal values seal equally,
 * so a diff still sees a change of the secret, without the value itself ever being written. */
export function sealValue(value: string): string {
  return `<secret sha256:${createHash('sha256').update(value).digest('hex').slice(0, 16)}>`;
}

/** A copy of a spec whose secret-looking env values are sealed (what the registry keeps). */
export function sealSpec<T>(spec: T): T {
  if (spec === null || typeof spec !== 'object') return spec;
  const s = spec as Record<string, unknown>;
  if (typeof s.env !== 'object' || s.env === null) return spec;
  const env = Object.fromEntries(Object.entries(s.env as Record<string, unknown>).map(([k, v]) => [k, isSecretKey(k) && typeof v === 'string' ? sealValue(v) : v]));
  return { ...s, env } as T;
}
