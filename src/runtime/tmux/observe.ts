// Observing the tmux runtime: one list-sessions and one listing of the run folder for every agent.
import { exitFromStatus } from '../exit-status.js';
import type { ExitFiles } from '../exit-files.js';
import type { Observation, ObservedAgent } from '../types.js';
import type { TmuxClient } from './client.js';
import { markOwner } from './marks.js';

export async function observeSessions(client: TmuxClient, exits: ExitFiles, owner: string): Promise<Observation> {
  const takenAt = Date.now();
  // The wrapper writes the exit file a moment before its pane dies: an agent whose exit file
  // exists has exited, even if tmux still shows the pane alive.
  const [rows, listing] = await Promise.all([client.listSessions(), exits.list()]);
  const present = new Set(listing);
  const mine = new Set([owner, markOwner(owner)]);
  const agents = new Map<string, ObservedAgent>();
  const foreign: string[] = [];
  const withExitFile: { name: string; handle: string }[] = [];
  for (const row of rows) {
    const ours = row.owner !== null && mine.has(row.owner);
    if (!ours) foreign.push(row.name);
    // Also a dead pane without its status yet (tmux sees the pty close before it reaps the shell):
    // the listing ran beside list-sessions and may predate the wrapper's mv, which comes before
    // the pane dies, so its exit file is read now even if unlisted.
    else if (
      row.token !== null &&
      (present.has(`${row.name}.${row.token}.exit`) || (row.dead && row.deadStatus === null))
    ) {
      withExitFile.push({ name: row.name, handle: row.token });
    }
  }
  const recorded = withExitFile.length > 0 ? await exits.readMany(withExitFile) : new Map();
  for (const row of rows) {
    const ours = row.owner !== null && mine.has(row.owner);
    const exit = ours ? recorded.get(row.name) : undefined;
    const dead = row.dead || exit !== undefined;
    const agent: ObservedAgent = {
      name: row.name,
      runtime: 'tmux',
      handle: row.token ?? row.id,
      hash: row.hash,
      // Ours is reported as the controller's own id, whichever form of the mark the session has.
      owner: ours ? owner : row.owner,
      alive: !dead,
      startedAt: row.createdAt,
      state: dead ? 'dead' : 'running',
      ...(row.pid !== null ? { pid: row.pid } : {}),
    };
    if (dead && ours) agent.exit = exit ?? exitFromStatus(row.deadStatus, null, takenAt);
    agents.set(row.name, agent);
  }
  return { runtime: 'tmux', takenAt, agents, foreign: foreign.sort() };
}
