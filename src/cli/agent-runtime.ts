// Finds the runtime each agent lives in, for commands that talk to agents (logs, attach, send): here or on its Host.
import { Registry } from '../registry/store.js';
import { loadSpecs, type SpecSet } from '../spec/load.js';
import type { Runtime } from '../runtime/types.js';
import { hostOfKey, runtimeKeyOf } from '../../controllers/agent/placement.js';
import { hostRuntimes } from './agent-deps.js';
import { createContext, type Context, type GlobalOptions } from './context.js';
import { ExitError } from './exit.js';

export interface AgentRuntime {
  key: string;
  rt: Runtime;
}

export interface AgentRuntimes {
  byName: Map<string, AgentRuntime>;
  /** Closes the ssh connections this command opened (if any). */
  close(): Promise<void>;
}

/** The runtime of each named agent. Each agent's own record says where it runs; the specs folder
 * is read only for agents without one, or for the Hosts agents run on. */
export async function agentRuntimesOf(ctx: Context, names: readonly string[]): Promise<AgentRuntimes> {
  const registry = new Registry(ctx.stateDir);
  const keys = new Map<string, string | undefined>();
  for (const name of names) {
    const rec = await registry.load(name);
    keys.set(name, rec ? runtimeKeyOf(undefined, rec) : undefined);
  }
  let specs: SpecSet | undefined;
  const load = async (): Promise<SpecSet> =>
    (specs ??= await loadSpecs({ specsDir: ctx.specsDir, host: ctx.host, home: ctx.home }));
  if ([...keys.values()].some((k) => k === undefined)) {
    const s = await load();
    for (const [name, key] of keys) {
      const d = key === undefined ? s.agents.get(name) : undefined;
      if (d) keys.set(name, runtimeKeyOf(d, undefined));
    }
  }
  const remote = [...keys.values()].some((k) => k !== undefined && hostOfKey(k) !== undefined);
  if (remote) await load();
  const set = remote
    ? hostRuntimes(
        ctx,
        () => specs!.hosts,
        () => specs!.agents.values(),
        true,
      )
    : hostRuntimes(
        ctx,
        () => new Map(),
        () => [],
        true,
      );
  const byName = new Map<string, AgentRuntime>();
  for (const [name, key] of keys) {
    const fail = async (code: number, message: string): Promise<never> => {
      await set.close();
      throw new ExitError(code, message);
    };
    if (!key) await fail(1, `unknown agent: ${name}`);
    const host = hostOfKey(key!);
    if (!set.has(key!))
      await fail(
        2,
        host === undefined
          ? `the ${key} runtime is not available on this machine`
          : `Host ${host} is not in the specs with ssh`,
      );
    byName.set(name, { key: key!, rt: set.get(key!) });
  }
  return { byName, close: () => set.close() };
}

export async function agentRuntime(g: GlobalOptions, name: string): Promise<AgentRuntime & { close(): Promise<void> }> {
  const all = await agentRuntimesOf(createContext(g), [name]);
  return { ...all.byName.get(name)!, close: all.close };
}
