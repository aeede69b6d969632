// Hooks the session hub into a controller as an event source: its ticker enqueues the agents whose terminal changed.
import type { Controller } from '../../../src/engine/controller.js';
import type { AgentDeps } from '../deps.js';
import { startTicker } from './ticker.js';

/** Starts ticking (when the deps have a hub); returns the stop function. */
export function watchSessions(d: AgentDeps, c: Controller): () => Promise<void> {
  const hub = d.sessions;
  if (!hub) return async () => undefined;
  const ticker = startTicker(hub, (name) => c.enqueue(name));
  return async () => {
    await ticker.stop();
    d.log.debug({ ...hub.stats }, 'session reads');
  };
}
