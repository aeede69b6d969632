// Writes agent spec files for the bench: one agent per file, written atomically (temp + rename).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface BenchAgent {
  state?: 'Running' | 'Stopped';
  env?: Record<string, string>;
}

/** Every bench agent is `sleep 86400` in /tmp: cheap, long-lived, and the same in every variant. */
export const AGENT_ARGV = ['sleep', '86400'] as const;

export function agentYaml(name: string, a: BenchAgent = {}): string {
  const spec: Record<string, unknown> = { command: AGENT_ARGV, workdir: '/tmp' };
  if (a.state) spec.state = a.state;
  if (a.env) spec.env = a.env;
  return `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: ${name}\nspec: ${JSON.stringify(spec)}\n`;
}

export const agentName = (prefix: string, i: number): string => `${prefix}${String(i).padStart(5, '0')}`;

/** Temp file (its name starts with ".", so agentctl ignores it) then rename: a watcher never
 * sees a half-written spec. */
export function writeAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

export function specPath(specsDir: string, name: string): string {
  return join(specsDir, `${name}.yaml`);
}

/** Writes `n` agents named prefix00001.. into the folder; returns their names. */
export function writeAgents(specsDir: string, prefix: string, n: number, a: BenchAgent = {}): string[] {
  mkdirSync(specsDir, { recursive: true });
  const names: string[] = [];
  for (let i = 1; i <= n; i++) {
    const name = agentName(prefix, i);
    writeFileSync(specPath(specsDir, name), agentYaml(name, a));
    names.push(name);
  }
  return names;
}
