// The environment and working directory a hook process runs with.
import { statSync } from 'node:fs';
import type { HookContext } from './types.js';

/** The agent's env plus the documented AGENTCTL_* variables; execa adds the controller's env
 * underneath (extendEnv), so the agent's values win over the controller's. */
export function hookEnv(ctx: HookContext): Record<string, string> {
  return {
    ...ctx.env,
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
