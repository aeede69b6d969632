// Folds repeated events into one line with a count and a time span, as kubectl describe does (pure).
import type { AgentEvent } from '../registry/record.js';

export interface MergedEvent {
  type: AgentEvent['type'];
  reason: string;
  /** The newest message of the group. */
  message: string;
  count: number;
  firstTime: string;
  lastTime: string;
}

/** Messages that differ only in numbers (a delay like 10s or 5m0s, an exit code, a handle's
 * counter) are the same event. */
export function eventKey(e: Pick<AgentEvent, 'type' | 'reason' | 'message'>): string {
  const shape = e.message.replace(/\d+(?:\.\d+)?(?:ms|[smhd])?/g, '#').replace(/#+/g, '#');
  return `${e.type}\u0000${e.reason}\u0000${shape}`;
}

/** Oldest first, like the records; a group sits where its newest occurrence is. A record's folded
 * run (`count` > 1) only keeps its last time, so a span starts at the oldest time seen. */
export function mergeEvents(events: readonly AgentEvent[]): MergedEvent[] {
  const groups = new Map<string, MergedEvent>();
  for (const e of events) {
    const k = eventKey(e);
    const g = groups.get(k);
    if (!g) {
      groups.set(k, {
        type: e.type,
        reason: e.reason,
        message: e.message,
        count: e.count,
        firstTime: e.time,
        lastTime: e.time,
      });
      continue;
    }
    groups.delete(k); // re-inserted below so the map's order follows the newest occurrence
    groups.set(k, {
      ...g,
      message: e.message,
      count: g.count + e.count,
      firstTime: Date.parse(e.time) < Date.parse(g.firstTime) ? e.time : g.firstTime,
      lastTime: Date.parse(e.time) > Date.parse(g.lastTime) ? e.time : g.lastTime,
    });
  }
  return [...groups.values()];
}

/** 45s, 6m, 3h, 2d. */
export function shortDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 2 * 3600) return `${Math.round(s / 60)}m`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

/** `BackOff ×12 over 6m`, or just `BackOff` for a single occurrence. */
export function mergedTitle(e: MergedEvent): string {
  if (e.count === 1) return e.reason;
  const span = Date.parse(e.lastTime) - Date.parse(e.firstTime);
  return `${e.reason} ×${e.count}${span > 0 ? ` over ${shortDuration(span)}` : ''}`;
}
