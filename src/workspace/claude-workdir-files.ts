// The .mcp.json and CLAUDE.md a Claude agent's start writes: merged with the workdir's own copies.
import { join } from 'node:path';
import type { HostFiles } from '../exec/executor.js';
import type { AgentSpec } from '../spec/schema.js';
import { mergeMcpJson, mergeMemory, type Merge } from './claude-files.js';

/** Files to write (relative to the workdir) for claude.mcpServers and claude.memory, read and
 * merged on the agent's host. A file that cannot be merged is not written: `warn` says why. */
export async function claudeWorkdirFiles(
  spec: AgentSpec,
  workdir: string,
  files: HostFiles,
  warn: (message: string) => void,
): Promise<Record<string, string>> {
  const c = spec.claude;
  const wanted: [string, (existing: string | undefined) => Merge][] = [];
  if (c?.mcpServers) wanted.push(['.mcp.json', (e) => mergeMcpJson(e, c.mcpServers!)]);
  if (c?.memory !== undefined) wanted.push(['CLAUDE.md', (e) => mergeMemory(e, c.memory!)]);
  if (wanted.length === 0) return {};
  const existing = await files.read(wanted.map(([rel]) => join(workdir, rel)));
  const out: Record<string, string> = {};
  for (const [rel, merge] of wanted) {
    const m = merge(existing.get(join(workdir, rel))?.text);
    if ('refused' in m) warn(m.refused);
    else if (m.changed) out[rel] = m.text;
  }
  return out;
}
