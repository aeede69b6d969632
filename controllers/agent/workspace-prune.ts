// Prune's workspace step: the agent's worktree removed when clean, kept and reported when not.
import type { AgentSpec } from '../../src/spec/schema.js';
import type { AgentRecord } from '../../src/registry/record.js';
import { createLocalExecutor, localFiles } from '../../src/exec/local.js';
import { mergeMcpJson, mergeMemory } from '../../src/workspace/claude-files.js';
import { expandHome } from '../../src/util/paths.js';
import { removeWorktreeIfClean } from '../../src/workspace/worktree.js';
import type { AgentDeps } from './deps.js';
import { addEvent } from './events.js';
import type { Plan } from './plan.js';

/** What prune found in the agent's worktree: nothing to keep, or what is uncommitted there (the
 * worktree and the record stay, and the next pass looks again). A host that cannot be reached
 * keeps the record too: a worktree is never forgotten unseen. */
export async function pruneWorkspace(deps: AgentDeps, rec: AgentRecord): Promise<string | undefined> {
  const spec = rec.appliedSpec as Partial<AgentSpec> | null;
  const ws =
    rec.workspace ??
    (spec?.workspace ? { workdir: spec.workdir ?? `~/agents/${rec.name}`, ...spec.workspace } : undefined);
  if (!ws) return undefined;
  try {
    const machine = rec.host === undefined ? undefined : await deps.hosts?.machine(rec.host);
    if (rec.host !== undefined && !machine) return `on Host ${rec.host}, which is not driven from here`;
    const home = machine?.home ?? deps.identity.home;
    const path = expandHome(ws.workdir, home);
    const out = await removeWorktreeIfClean(
      machine?.exec ?? createLocalExecutor(),
      { name: rec.name, git: ws.git, path, home },
      { contents: ownContents(spec), files: machine?.files ?? localFiles },
    );
    return out.removed ? undefined : out.kept;
  } catch (err) {
    return `not checked: ${(err as Error).message}`;
  }
}

/** The record of a pruned agent whose worktree was kept: stopped, and saying what is uncommitted. */
export function keptPlan(rec: AgentRecord, now: number, kept: string): Plan {
  rec.handle = null;
  rec.startedAt = null;
  rec.health = null;
  const message = `spec deleted; worktree kept, uncommitted work in ${kept}`;
  addEvent(rec, now, 'Warning', 'WorkspaceKept', message);
  return { action: 'none', reason: 'WorkspaceKept', message, phase: 'Stopped' };
}

/** What agentctl itself writes into a fresh workdir of this spec: such files, unchanged and
 * untracked, are not uncommitted work. */
function ownContents(spec: Partial<AgentSpec> | null): Record<string, string> {
  const out: Record<string, string> = { ...(spec?.files ?? {}) };
  const c = spec?.claude;
  const mcp = c?.mcpServers ? mergeMcpJson(undefined, c.mcpServers) : undefined;
  if (mcp && 'text' in mcp) out['.mcp.json'] = mcp.text;
  const memory = c?.memory !== undefined ? mergeMemory(undefined, c.memory) : undefined;
  if (memory && 'text' in memory) out['CLAUDE.md'] = memory.text;
  return out;
}
