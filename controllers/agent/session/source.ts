// Hooks the session hub into a controller as an event source: its ticker enqueues the agents whose terminal changed.
import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import type { Controller } from '../../../src/engine/controller.js';
import type { AgentDeps } from '../deps.js';
import { activityDir } from './activity-layer.js';
import { startTicker, type Ticker } from './ticker.js';

/** Hook lines of one turn come in a few quick writes: one tick for them. */
const POKE_DELAY_MS = 15;

/** Starts ticking (when the deps have a hub); returns the stop function. */
export function watchSessions(d: AgentDeps, c: Controller): () => Promise<void> {
  const hub = d.sessions;
  if (!hub) return async () => undefined;
  const ticker = startTicker(hub, (name) => c.enqueue(name));
  const folder = watchActivityFolder(d, ticker);
  return async () => {
    folder?.close();
    hub.activityWatched = false;
    await ticker.stop();
    d.log.debug({ ...hub.stats }, 'session reads');
  };
}

/**
 * Watches the folder the local agents' hooks write to (inotify), so a hook line is read within
 * milliseconds instead of at the next poll, and the poll slows down to a fallback. Without the
 * watch (it cannot be made, or it fails later) the hub polls as before.
 */
function watchActivityFolder(d: AgentDeps, ticker: Ticker): FSWatcher | undefined {
  const hub = d.sessions!;
  const dir = activityDir(d.identity.stateDir);
  let timer: NodeJS.Timeout | undefined;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const w = watch(dir, { persistent: false }, () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        ticker.poke();
      }, POKE_DELAY_MS);
    });
    w.on('error', (err) => {
      d.log.debug({ dir, error: err.message }, 'activity folder watch ended; polling instead');
      hub.activityWatched = false;
      w.close();
    });
    hub.activityWatched = true;
    return w;
  } catch (err) {
    d.log.debug({ dir, error: (err as Error).message }, 'cannot watch the activity folder; polling instead');
    return undefined;
  }
}
