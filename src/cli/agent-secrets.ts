// The secret values of agents (envFiles values, secret-keyed env values), for commands that print
// what an agent wrote: as CI systems mask known secrets in their logs.
import { loadSpecs, type SpecSet } from '../spec/load.js';
import { secretValues } from '../spec/secrets.js';
import { readEnvFiles } from '../workspace/prepare.js';
import type { Context } from './context.js';

export interface AgentSecrets {
  byName: Map<string, string[]>;
  /** Agents whose envFiles could not be read now: their values cannot be masked (why). */
  unreadable: Map<string, string>;
}

/** Every known secret value of each named agent, from its spec as it stands now. An agent whose
 * spec is gone has none known (the registry keeps only digests of them). */
export async function agentSecrets(ctx: Context, names: readonly string[], specs?: SpecSet): Promise<AgentSecrets> {
  const set = specs ?? (await loadSpecs({ specsDir: ctx.specsDir, host: ctx.host, home: ctx.home }));
  const byName = new Map<string, string[]>();
  const unreadable = new Map<string, string>();
  for (const name of names) {
    const d = set.agents.get(name);
    if (!d) continue;
    let fromFiles: Record<string, string> = {};
    try {
      fromFiles = await readEnvFiles(d, ctx.home);
    } catch (err) {
      unreadable.set(name, (err as Error).message);
    }
    byName.set(name, secretValues(d.spec.env, fromFiles));
  }
  return { byName, unreadable };
}
