// A read-only summary of an agent's spec for the fleet page, with secret env values redacted (pure).
import type { DesiredAgent } from '../spec/load.js';
import { redactEnv } from '../spec/secrets.js';
import { quoteArg, shellQuote } from '../cli/quote.js';

export interface SpecSummary {
  file: string;
  hash: string;
  state: string;
  runtime: string;
  /** The command as a shell would need it typed, or the claude preset in words. */
  command: string;
  workdir: string | null;
  env: Record<string, string>;
  /** File names only: their values are secrets. */
  envFiles: string[];
  restartPolicy: string;
  healthCheck: string | null;
  dependsOn: string[];
  host: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  hooks: string[];
  listen: string[];
}

function claudeText(c: NonNullable<DesiredAgent['spec']['claude']>): string {
  const parts = [`claude (${c.binary}) session ${c.session}`];
  if (c.model) parts.push(`model ${c.model}`);
  if (c.flags.length) parts.push(`flags ${shellQuote(c.flags)}`);
  return parts.join(', ');
}

export function specSummary(d: DesiredAgent): SpecSummary {
  const s = d.spec;
  const hc = s.healthCheck;
  const env = redactEnv(s.env) ?? {};
  return {
    file: d.file,
    hash: d.hash,
    state: s.state,
    runtime: s.runtime,
    command: s.command ? shellQuote(s.command) : claudeText(s.claude!),
    workdir: s.workdir ?? null,
    env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
    envFiles: [...s.envFiles],
    restartPolicy: `${s.restartPolicy} (backoff ${s.backoff.initialSeconds}s doubling to ${s.backoff.maxSeconds}s)`,
    healthCheck: hc
      ? `${hc.exec ? `exec ${hc.exec.map(quoteArg).join(' ')}` : `http ${hc.http}`} every ${hc.periodSeconds}s, threshold ${hc.failureThreshold}`
      : null,
    dependsOn: [...s.dependsOn],
    host: s.host ?? null,
    labels: { ...d.document.metadata.labels },
    annotations: { ...d.document.metadata.annotations },
    hooks: Object.entries(s.hooks)
      .filter(([, v]) => Array.isArray(v) && v.length > 0)
      .map(([k, v]) => `${k} (${(v as unknown[]).length})`),
    listen: s.listen.map((l) => `${l.name ? `${l.name}=` : ''}${l.port}/${l.proto}`),
  };
}
