// Finds the runtime one agent lives in, for commands that talk to it (logs, attach, send): here or on its Host.
import { Registry } from '../registry/store.js';
import { loadSpecs, type SpecSet } from '../spec/load.js';
import type { Runtime } from '../runtime/types.js';
import { hostOfKey, runtimeKeyOf } from '../../controllers/agent/placement.js';
import { hostRuntimes } from './agent-deps.js';
import { createContext, type GlobalOptions } from './context.js';
import { ExitError } from './exit.js';

export interface AgentRuntime {
  key: string;
  rt: Runtime;
  /** Closes the ssh connection this command opened (if any). */
  close(): Promise<void>;
}

export async function agentRuntime(g: GlobalOptions, name: string): Promise<AgentRuntime> {
  const ctx = createContext(g);
  // The agent's own record says where it runs; the specs folder is read without one, or for the
  // Host an agent runs on.
  const rec = await new Registry(ctx.stateDir).load(name);
  let key = rec ? runtimeKeyOf(undefined, rec) : undefined;
  let specs: SpecSet | undefined;
  const load = async (): Promise<SpecSet> => (specs ??= await loadSpecs({ specsDir: ctx.specsDir, host: ctx.host, home: ctx.home }));
  if (!key) {
    const d = (await load()).agents.get(name);
    key = d ? runtimeKeyOf(d, undefined) : undefined;
  }
  if (!key) throw new ExitError(1, `unknown agent: ${name}`);
  const host = hostOfKey(key);
  const set = host === undefined ? hostRuntimes(ctx, () => new Map(), () => [], true) : hostRuntimes(ctx, () => specs!.hosts, () => specs!.agents.values(), true);
  if (host !== undefined) await load();
  if (!set.has(key)) {
    await set.close();
    throw new ExitError(2, host === undefined ? `the ${key} runtime is not available on this machine` : `Host ${host} is not in the specs with ssh`);
  }
  return { key, rt: set.get(key), close: () => set.close() };
}
