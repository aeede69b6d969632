// Stopping tmux agents in one batch: TERM to each process group, grace periods, KILL, then the sessions.
import type { Logger } from 'pino';
import type { Machine } from '../../exec/executor.js';
import { gracefulStop, type GracefulTarget } from '../graceful-stop.js';
import { signalGroups } from '../process-group.js';
import type { BatchResult, StopRequest } from '../types.js';
import type { TmuxClient } from './client.js';
import { chain, paneTarget, sessionTarget, TOKEN_PATTERN } from './commands.js';

/** Up to this many sessions are looked at one by one (one chained client): with 1000 sessions on
 * the socket a full list-sessions costs ~50 ms, a few display-messages a millisecond or two. */
const FEW = 16;

interface PaneState {
  handle: string;
  pid: number | null;
  dead: boolean;
}

/** The state of these sessions' panes (absent ones left out), from one tmux client. */
async function paneStates(client: TmuxClient, names: readonly string[]): Promise<Map<string, PaneState>> {
  if (names.length > 0 && names.length <= FEW) {
    const r = await client.run(
      chain(
        names.map((n) => [
          'display-message',
          '-p',
          '-t',
          paneTarget(n),
          '#{session_name}\t#{session_id}\t#{window_name}\t#{pane_pid}\t#{pane_dead}',
        ]),
      ),
    );
    // A session that is gone aborts the chain: then one list-sessions says which are left.
    if (r.exitCode === 0) {
      const out = new Map<string, PaneState>();
      for (const line of r.stdout.split('\n')) {
        const [name, id, win, pid, dead] = line.split('\t');
        if (name === undefined || id === undefined || dead === undefined) continue;
        out.set(name, {
          handle: win && TOKEN_PATTERN.test(win) ? win : id,
          pid: pid && /^\d+$/.test(pid) ? Number(pid) : null,
          dead: dead === '1',
        });
      }
      return out;
    }
  }
  const wanted = new Set(names);
  return new Map(
    (await client.listSessions())
      .filter((s) => wanted.has(s.name))
      .map((s) => [s.name, { handle: s.token ?? s.id, pid: s.pid, dead: s.dead }]),
  );
}

interface PaneTarget extends GracefulTarget {
  pid: number;
  handle: string;
}

export async function stopSessions(
  client: TmuxClient,
  machine: Machine,
  log: Logger,
  requests: readonly StopRequest[],
): Promise<BatchResult> {
  const result: BatchResult = new Map(requests.map((r) => [r.name, {}]));
  if (requests.length === 0) return result;
  // The pane's process leads its own group: TERM reaches the agent and what it started.
  const targets: PaneTarget[] = [];
  for (const r of requests) {
    const o = r.observed;
    if (o?.alive && o.pid !== undefined)
      targets.push({ id: r.name, name: r.name, graceSeconds: r.graceSeconds, pid: o.pid, handle: o.handle });
  }
  await gracefulStop(targets, {
    term: (ts) =>
      signalGroups(
        machine,
        ts.map((t) => t.pid),
        'TERM',
      ),
    kill: (ts) =>
      signalGroups(
        machine,
        ts.map((t) => t.pid),
        'KILL',
      ),
    stillRunning: async (ids) => {
      const rows = await paneStates(client, ids);
      const byName = new Map(targets.map((t) => [t.name, t]));
      return new Set(
        ids.filter((id) => {
          const row = rows.get(id);
          return row !== undefined && !row.dead && row.handle === byName.get(id)?.handle;
        }),
      );
    },
    log,
    // A few agents are polled cheaply (see FEW), so the first look comes soon: most agents end
    // within milliseconds of their TERM.
    pollMs: requests.length <= FEW ? 10 : 50,
  });
  const present = [
    ...(await paneStates(
      client,
      requests.map((r) => r.name),
    )),
  ];
  if (present.length > 0) {
    const k = await client.run(chain(present.map(([name]) => ['kill-session', '-t', sessionTarget(name)])));
    // A session that vanished between list and kill aborts the chain: kill the rest one by one.
    if (k.exitCode !== 0)
      await Promise.all(present.map(([name]) => client.run(['kill-session', '-t', sessionTarget(name)])));
  }
  // A process that ignores SIGHUP when its pane closes would outlive its session.
  await signalGroups(
    machine,
    present.filter(([, s]) => !s.dead && s.pid !== null).map(([, s]) => s.pid!),
    'KILL',
  );
  return result;
}
