// The status `get` and `describe` show: the records as the running controller keeps them, or,
// when none runs, checked against one look at each local runtime in use (as the controller's
// observe does: one call per runtime, never one per agent).
import { runtimeKeyOf, hostOfKey } from '../../controllers/agent/placement.js';
import { statusItems, type StatusItem } from '../../controllers/agent/status-items.js';
import { liveHolder } from '../engine/lock.js';
import { readHostStatuses } from '../hosts/host-status-file.js';
import type { AgentRecord } from '../registry/record.js';
import type { SpecSet } from '../spec/load.js';
import { localRuntimeMap } from './agent-deps.js';
import type { Context } from './context.js';
import { liveStatus, type Looked } from './observed-status.js';

const LOOK_TIMEOUT_MS = 10_000;

export async function statusNow(
  ctx: Context,
  specs: SpecSet,
  records: ReadonlyMap<string, AgentRecord>,
): Promise<StatusItem[]> {
  const items = statusItems(specs, records, ctx.host);
  const [holder, hosts] = await Promise.all([liveHolder(ctx.stateDir, ctx.host), readHostStatuses(ctx.stateDir)]);
  const keyOf = (name: string): string | undefined => {
    const r = records.get(name);
    return r ? runtimeKeyOf(specs.agents.get(name), r) : undefined;
  };
  const looked = new Map<string, Looked>();
  if (!holder) {
    // Only this machine's runtimes, and only those a recorded live agent is in.
    const wanted = new Set(
      items
        .filter((i) => records.get(i.name)?.handle && ['Running', 'Pending'].includes(i.phase))
        .map((i) => keyOf(i.name))
        .filter((k): k is string => k !== undefined && hostOfKey(k) === undefined),
    );
    if (wanted.size > 0) {
      const runtimes = localRuntimeMap(ctx);
      await Promise.all(
        [...wanted].map(async (key) => {
          const rt = runtimes.get(key);
          if (!rt) return void looked.set(key, { error: `the ${key} runtime is not available on this machine` });
          try {
            const o = await Promise.race([
              rt.observe(),
              new Promise<never>((_, reject) =>
                setTimeout(() => reject(new Error('no answer')), LOOK_TIMEOUT_MS).unref(),
              ),
            ]);
            looked.set(key, { agents: o.agents });
          } catch (err) {
            looked.set(key, { error: (err as Error).message });
          }
        }),
      );
    }
  }
  return liveStatus({ items, records, controllerRuns: holder !== null, looked, keyOf, hosts, now: Date.now() });
}
