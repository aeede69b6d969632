// The workspace step of a start: the agent's worktree found or made, and set up once, on its host.
import type { Executor } from '../exec/executor.js';
import { baseEnv } from '../runtime/agent-env.js';
import type { DesiredAgent } from '../spec/load.js';
import { ensureWorktree } from './worktree.js';
import { setUpWorktree } from './worktree-setup.js';

export interface WorktreeStart {
  exec: Executor;
  /** Home on the agent's host. */
  home: string;
  /** The agent's workdir there (the worktree). */
  workdir: string;
  /** The agent's own variables (envFiles, env, AGENTCTL_*): setup runs with them. */
  env: Record<string, string>;
  secrets: readonly string[];
}

/** Nothing for an agent without a workspace. Otherwise the worktree exists afterwards and its
 * setup has run once, or this throws a PrepareError that says what failed, with its output. */
export async function prepareWorktree(agent: DesiredAgent, w: WorktreeStart): Promise<{ created: boolean }> {
  const ws = agent.spec.workspace;
  if (!ws) return { created: false };
  const { created, repo } = await ensureWorktree(w.exec, {
    name: agent.name,
    git: ws.git,
    path: w.workdir,
    home: w.home,
  });
  // Locally the agent's minimal base environment (DESIGN §9.5); an SSH host's executor puts
  // that login's own base underneath.
  const env = w.exec.target === 'local' ? { ...baseEnv(process.env), ...w.env } : w.env;
  await setUpWorktree({ exec: w.exec, path: w.workdir, repo, env, secrets: w.secrets }, ws);
  return { created };
}
