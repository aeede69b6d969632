// Hosts over SSH as event sources: a change of reachability or preflight, and a short look at each host between resyncs.
//
// A remote tmux server's exit files cannot be watched from here, so each Host is looked at every
// few seconds (one ssh client each, in parallel: a slow host delays only its own look), and its
// drifted agents are enqueued as a resync would.
import type { Controller } from '../../../src/engine/controller.js';
import type { AgentDeps } from '../deps.js';
import { needsReconcile } from '../drift.js';
import { allNames, runtimeKeysInUse } from '../inventory.js';
import { hostOfKey, runtimeKey, runtimeKeyOf } from '../placement.js';

export const HOST_POLL_MS = 5000;

/** Names whose runtime is `key`, or with a copy fenced there (stopped as soon as it answers). */
function namesOn(d: AgentDeps, pred: (key: string) => boolean): string[] {
  return [...allNames(d)].filter((n) => {
    const rec = d.records.get(n);
    if (pred(runtimeKeyOf(d.desired.get(n), rec))) return true;
    return (rec?.fenced ?? []).some((f) => pred(runtimeKey(f.runtime, f.host)));
  });
}

/** A Host that went down, came back, or changed its preflight: its agents are looked at again,
 * with a view taken after the change. */
export function watchHostChanges(d: AgentDeps, c: Controller): () => void {
  if (!d.hosts) return () => undefined;
  return d.hosts.onChange((host) => {
    for (const name of namesOn(d, (k) => hostOfKey(k) === host)) {
      d.views.needFresh(name);
      c.enqueue(name);
    }
  });
}

export function watchHosts(d: AgentDeps, c: Controller, everyMs = HOST_POLL_MS): () => void {
  const offChanges = watchHostChanges(d, c);
  const busy = new Set<string>();
  const look = async (key: string): Promise<void> => {
    busy.add(key);
    try {
      const v = await d.views.refresh(key);
      for (const name of namesOn(d, (k) => k === key)) {
        if (needsReconcile(d.desired.get(name), d.records.get(name), v.agents.get(name), d.identity.owner))
          c.enqueue(name);
      }
      for (const a of v.agents.values())
        if (a.owner === d.identity.owner && !d.records.has(a.name) && !d.desired.get(a.name)) c.enqueue(a.name);
    } catch {
      // Shown on its agents by their own reconcile (HostUnreachable); the gate probes it.
    } finally {
      busy.delete(key);
      const host = hostOfKey(key);
      if (host !== undefined) d.hosts?.touch?.(host);
    }
  };
  const timer = setInterval(() => {
    for (const key of runtimeKeysInUse(d)) if (hostOfKey(key) !== undefined && !busy.has(key)) void look(key);
  }, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    offChanges();
  };
}
