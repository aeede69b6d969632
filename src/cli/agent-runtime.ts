// Finds the runtime each agent lives in, for commands that talk to agents (logs, attach, send).
import { Registry } from '../registry/store.js';
import { loadSpecs } from '../spec/load.js';
import type { Runtime } from '../runtime/types.js';
import { runtimeKeyOf } from '../../controllers/agent/placement.js';
import { localRuntimes } from './agent-deps.js';
import { createContext, type Context, type GlobalOptions } from './context.js';
import { ExitError } from './exit.js';

export interface AgentRuntime {
  key: string;
  rt: Runtime;
}

/** The runtime of each named agent. Each agent's own record says where it runs; the specs folder
 * is read only for agents without one. */
export async function agentRuntimesOf(ctx: Context, names: readonly string[]): Promise<Map<string, AgentRuntime>> {
  const registry = new Registry(ctx.stateDir);
  const keys = new Map<string, string | undefined>();
  for (const name of names) {
    const rec = await registry.load(name);
    keys.set(name, rec ? runtimeKeyOf(undefined, rec) : undefined);
  }
  if ([...keys.values()].some((k) => k === undefined)) {
    const specs = await loadSpecs({ specsDir: ctx.specsDir, host: ctx.host, home: ctx.home });
    for (const [name, key] of keys) {
      const d = key === undefined ? specs.agents.get(name) : undefined;
      if (d) keys.set(name, runtimeKeyOf(d, undefined));
    }
  }
  const runtimes = localRuntimes(ctx);
  const out = new Map<string, AgentRuntime>();
  for (const [name, key] of keys) {
    if (!key) throw new ExitError(1, `unknown agent: ${name}`);
    if (!runtimes.has(key)) throw new ExitError(2, `the ${key} runtime is not available on this machine`);
    out.set(name, { key, rt: runtimes.get(key) });
  }
  return out;
}

export async function agentRuntime(g: GlobalOptions, name: string): Promise<AgentRuntime> {
  return (await agentRuntimesOf(createContext(g), [name])).get(name)!;
}
