// When reconcile --once gives up on a runtime that does not answer, its agents' records say Unknown, not what was last seen.
import type { AgentDeps } from './deps.js';
import { runtimeKeyOf } from './placement.js';
import { unavailable } from './record-status.js';

/** `stuck`: runtime key → how long its observation has been waiting (ms). A record left as it
 * was would keep showing Running/True in `get` for an agent nobody could look at. */
export async function markUnanswered(d: AgentDeps, stuck: ReadonlyMap<string, number>): Promise<string[]> {
  const marked: string[] = [];
  for (const rec of [...d.records.all()]) {
    const key = runtimeKeyOf(undefined, rec);
    const ms = stuck.get(key);
    if (ms === undefined || rec.phase === 'Unknown') continue;
    await unavailable(d, rec.name, rec, key, new Error(`did not answer within ${Math.round(ms / 1000)}s`));
    marked.push(rec.name);
  }
  return marked;
}
