// An agent's environment and secret values as its hooks see them, for steps taken on a running agent.
import type { DesiredAgent } from '../../../src/spec/load.js';
import { secretValues } from '../../../src/spec/secrets.js';
import { expandHome } from '../../../src/util/paths.js';
import { readEnvFiles } from '../../../src/workspace/prepare.js';
import type { AgentDeps } from '../deps.js';
import type { HookTarget } from '../hook-steps.js';

/** envFiles (when they can still be read) under env, as at the start; the secrets among them. */
export async function hookTargetOf(d: AgentDeps, desired: DesiredAgent): Promise<HookTarget> {
  const fromFiles = await readEnvFiles(desired, d.identity.home).catch(() => ({}));
  return {
    d: desired,
    workdir: expandHome(desired.spec.workdir ?? `~/agents/${desired.name}`, d.identity.home),
    env: { ...fromFiles, ...desired.spec.env },
    secrets: secretValues(desired.spec.env, fromFiles),
  };
}
