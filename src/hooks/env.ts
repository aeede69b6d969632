// The environment and working directory a hook process runs with.
import { statSync } from 'node:fs';
import type { HookContext } from './types.js';

/** Specs written by `agentctl import` carry this extensions key (src/import/map-extensions.ts):
 * their hooks were written for the older tool (scitex-agent-container) and read its variables. */
export const IMPORTED_EXTENSION = 'scitex-agent-container';

/** The older tool's hook variables, for imported specs only: its agents' sessions were named
 * after the agent, as agentctl's tmux sessions are. */
export function olderToolHookEnv(ctx: HookContext): Record<string, string> {
  const mark = ctx.spec.extensions?.[IMPORTED_EXTENSION];
  if (mark === null || typeof mark !== 'object') return {};
  return {
    SCITEX_AGENT_CONTAINER_NAME: ctx.name,
    SCITEX_AGENT_CONTAINER_SCREEN_NAME: ctx.name,
    SCITEX_AGENT_CONTAINER_CONFIG_PATH: ctx.specFile,
  };
}

/** The agent's env (envFiles, then env) plus the documented AGENTCTL_* variables (and, for
 * imported specs, the older tool's). The runner puts the agent's base (DESIGN §9.5: HOME, PATH,
 * LANG...) underneath, never the controller's own environment (AGENTCTL_HTTP_TOKEN...). */
export function hookEnv(ctx: HookContext): Record<string, string> {
  return {
    ...ctx.env,
    ...olderToolHookEnv(ctx),
    AGENTCTL_AGENT: ctx.name,
    AGENTCTL_HOOK: ctx.hook,
    AGENTCTL_SPEC_FILE: ctx.specFile,
    AGENTCTL_WORKDIR: ctx.workdir,
  };
}

/** A preStart hook may run before the workdir exists; it then runs from / instead of failing. */
export function hookCwd(workdir: string): string {
  try {
    return statSync(workdir).isDirectory() ? workdir : '/';
  } catch {
    return '/';
  }
}
