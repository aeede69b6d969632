// The spec hash: sha256 of the canonical JSON of the fields that change the running process (pure).
import { createHash } from 'node:crypto';
import type { AgentSpec, Claude } from './schema.js';

/** JSON with object keys sorted at every level, so key order and YAML formatting never matter. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
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
  };
}

/** The preset's fields that build the argv. Fields added later (DESIGN §9) count only when set
 * away from their defaults, so an upgrade leaves every existing agent's hash, and so the agent,
 * alone; autoAccept and context steer a running agent and never restart it. */
function claudeHashInput(c: Claude): unknown {
  const { autoAccept: _a, context: _c, addDirs, continueMaxAgeMinutes, ...argvFields } = c;
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
