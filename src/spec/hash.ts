// The spec hash: sha256 of the canonical JSON of the fields that change the running process (pure).
import { createHash } from 'node:crypto';
import type { AgentSpec, Claude } from './schema.js';

/** JSON with object keys sorted at every level, so key order and YAML formatting never matter.
 * (Built by concatenation: it runs for every agent on every load.) */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  // sort() without a comparator orders by UTF-16 code units, as `<` does.
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What of a spec goes into its hash. envFiles count by content: `envFileDigests[i]` is the
 * sha256 of the i-th file's content, or null when it could not be read. */
export function hashInput(spec: AgentSpec, envFileDigests: readonly (string | null)[]): unknown {
  return {
    runtime: spec.runtime,
    command: spec.command ?? null,
    claude: spec.claude ? claudeHashInput(spec.claude) : null,
    workdir: spec.workdir ?? null,
    env: spec.env,
    envFiles: spec.envFiles.map((path, i) => ({ path, sha256: envFileDigests[i] ?? null })),
    files: spec.files,
    slurm: spec.runtime === 'slurm' ? (spec.slurm ?? {}) : null,
    // Added later: counted only when set, so existing agents keep their hash.
    ...(spec.loginShell ? { loginShell: true } : {}),
  };
}

/** The preset's fields that build the argv. Fields added later (DESIGN §9) count only when set
 * away from their defaults, so an upgrade leaves every existing agent's hash, and so the agent,
 * alone; autoAccept, context and budget steer a running agent and never restart it. */
function claudeHashInput(c: Claude): unknown {
  const { autoAccept: _a, context: _c, budget: _b, addDirs, continueMaxAgeMinutes, ...argvFields } = c;
  return {
    ...argvFields,
    ...(addDirs.length > 0 ? { addDirs } : {}),
    ...(continueMaxAgeMinutes > 0 ? { continueMaxAgeMinutes } : {}),
  };
}

export function specHash(spec: AgentSpec, envFileDigests: readonly (string | null)[] = []): string {
  return sha256(canonicalJson(hashInput(spec, envFileDigests)));
}

export function shortHash(hash: string | undefined | null): string {
  return hash ? hash.slice(0, 12) : '';
}
