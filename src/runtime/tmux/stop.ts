// Stopping tmux agents in one batch: TERM to each process group, grace periods, KILL, then the sessions.
import type { Logger } from 'pino';
import type { Machine } from '../../exec/executor.js';
import { gracefulStop, type GracefulTarget } from '../graceful-stop.js';
import { signalGroups } from '../process-group.js';
import type { BatchResult, StopRequest } from '../types.js';
import type { TmuxClient } from './client.js';
import { chain, sessionTarget } from './commands.js';

interface PaneTarget extends GracefulTarget {
  pid: number;
  handle: string;
}

export async function stopSessions(client: TmuxClient, machine: Machine, log: Logger, requests: readonly StopRequest[]): Promise<BatchResult> {
  const result: BatchResult = new Map(requests.map((r) => [r.name, {}]));
  if (requests.length === 0) return result;
  // The pane's process leads its own group: TERM reaches the agent and what it started.
  const targets: PaneTarget[] = [];
  for (const r of requests) {
    const o = r.observed;
    if (o?.alive && o.pid !== undefined) targets.push({ id: r.name, name: r.name, graceSeconds: r.graceSeconds, pid: o.pid, handle: o.handle });
  }
  await gracefulStop(targets, {
    term: (ts) => signalGroups(machine, ts.map((t) => t.pid), 'TERM'),
    kill: (ts) => signalGroups(machine, ts.map((t) => t.pid), 'KILL'),
    stillRunning: async (ids) => {
      const rows = new Map((await client.listSessions()).map((s) => [s.name, s]));
      const byName = new Map(targets.map((t) => [t.name, t]));
      return new Set(ids.filter((id) => {
        const row = rows.get(id);
        return row !== undefined && !row.dead && (row.token ?? row.id) === byName.get(id)?.handle;
      }));
    },
    log,
    pollMs: 50,
  });
  const rows = await client.listSessions();
  const wanted = new Set(requests.map((r) => r.name));
  const present = rows.filter((s) => wanted.has(s.name));
  if (present.length > 0) {
    const k = await client.run(chain(present.map((s) => ['kill-session', '-t', sessionTarget(s.name)])));
    // A session that vanished between list and kill aborts the chain: kill the rest one by one.
    if (k.exitCode !== 0) await Promise.all(present.map((s) => client.run(['kill-session', '-t', sessionTarget(s.name)])));
  }
  // A process that ignores SIGHUP when its pane closes would outlive its session.
  await signalGroups(machine, present.filter((s) => !s.dead && s.pid !== null).map((s) => s.pid!), 'KILL');
  return result;
}
