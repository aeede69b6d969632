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

/** Shorter values are left alone: they would blank out ordinary words in every output. */
const MIN_SECRET_CHARS = 4;
/** A line of a multi-line secret (a key file) is hidden on its own from this length. */
const MIN_SECRET_LINE_CHARS = 8;

/** The forms in which a secret value shows up in output: as is, with CRLF line ends (a
 * terminal), escaped inside JSON, and for a multi-line value each of its longer lines. */
function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET_CHARS) return [];
  const forms = [secret, secret.replace(/\r?\n/g, '\r\n'), JSON.stringify(secret).slice(1, -1)];
  if (secret.includes('\n'))
    forms.push(...secret.split(/\r?\n/).filter((l) => l.trim().length >= MIN_SECRET_LINE_CHARS));
  return forms;
}

/**
 * Replaces every occurrence of the given secret values in a text. Longest forms first, so a
 * secret that contains another is hidden whole instead of leaving its tail behind. Use it on
 * anything a hook, a health check or a runtime printed before it becomes an event, a message,
 * a log line or a record field.
 */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  const forms = [...new Set([...secrets].flatMap(secretForms))].sort((a, b) => b.length - a.length);
  let out = text;
  for (const f of forms) if (out.includes(f)) out = out.split(f).join(REDACTED);
  return out;
}

/** The former name of scrubSecrets. */
export const scrub = scrubSecrets;

/** The values of an agent's environment that are secrets: every envFiles value, and env
 * values whose key looks secret (*TOKEN*, *SECRET*, *PASSWORD*, *KEY*). */
export function secretValues(env: Record<string, string>, fromEnvFiles: Record<string, string>): string[] {
  const fromKeys = Object.entries(env)
    .filter(([k]) => isSecretKey(k))
    .map(([, v]) => v);
  return [...new Set([...Object.values(fromEnvFiles), ...fromKeys])];
}

/** Stands in for a secret env value in stored specs (the registry): equal values seal equally,
 * so a diff still sees a change of the secret, without the value itself ever being written. */
export function sealValue(value: string): string {
  return `<secret sha256:${createHash('sha256').update(value).digest('hex').slice(0, 16)}>`;
}

/** A copy of a spec whose secret-looking env values are sealed (what the registry keeps), and
 * sealed too where they appear inside `startup.commands[].text` (a command such a secret is in is
 * never typed, but its text would otherwise be kept verbatim). */
export function sealSpec<T>(spec: T): T {
  if (spec === null || typeof spec !== 'object') return spec;
  const s = spec as Record<string, unknown>;
  if (typeof s.env !== 'object' || s.env === null) return spec;
  const secrets: string[] = [];
  const env = Object.fromEntries(
    Object.entries(s.env as Record<string, unknown>).map(([k, v]) => {
      if (!isSecretKey(k) || typeof v !== 'string') return [k, v];
      secrets.push(v);
      return [k, sealValue(v)];
    }),
  );
  return { ...s, env, ...sealedStartup(s.startup, secrets) } as T;
}

function sealedStartup(startup: unknown, secrets: string[]): { startup?: unknown } {
  if (startup === null || typeof startup !== 'object') return {};
  const st = startup as Record<string, unknown>;
  if (!Array.isArray(st.commands)) return {};
  // Longest first, so a secret that contains another is sealed whole.
  const values = secrets.filter((v) => v.length >= MIN_SECRET_CHARS).sort((a, b) => b.length - a.length);
  const seal = (text: string): string => values.reduce((t, v) => t.split(v).join(sealValue(v)), text);
  const commands = st.commands.map((c: unknown) => {
    if (c === null || typeof c !== 'object') return c;
    const cmd = c as Record<string, unknown>;
    return typeof cmd.text === 'string' ? { ...cmd, text: seal(cmd.text) } : cmd;
  });
  return { startup: { ...st, commands } };
}
