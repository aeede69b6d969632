// Finds the runtime one agent lives in, for commands that talk to it (logs, attach, send).
import { Registry } from '../registry/store.js';
import { loadSpecs } from '../spec/load.js';
import type { Runtime } from '../runtime/types.js';
import { runtimeKeyOf } from '../../controllers/agent/placement.js';
import { localRuntimes } from './agent-deps.js';
import { createContext, type GlobalOptions } from './context.js';
import { ExitError } from './exit.js';

export async function agentRuntime(g: GlobalOptions, name: string): Promise<{ key: string; rt: Runtime }> {
  const ctx = createContext(g);
  // The agent's own record says where it runs; the whole specs folder is read only without one.
  const rec = await new Registry(ctx.stateDir).load(name);
  let key = rec ? runtimeKeyOf(undefined, rec) : undefined;
  if (!key) {
    const specs = await loadSpecs({ specsDir: ctx.specsDir, host: ctx.host, home: ctx.home });
    const d = specs.agents.get(name);
    key = d ? runtimeKeyOf(d, undefined) : undefined;
  }
  if (!key) throw new ExitError(1, `unknown agent: ${name}`);
  const runtimes = localRuntimes(ctx);
  if (!runtimes.has(key)) throw new ExitError(2, `the ${key} runtime is not available on this machine`);
  return { key, rt: runtimes.get(key) };
}
