// When an agent's activity change is announced (WaitingForInput / Idle events, onWaiting / onIdle hooks): once per wait, debounced (pure).
import type { NoticeMemory } from '../../../src/registry/attention-record.js';

/** What the notices look at: a Claude agent's activity as its record holds it (DESIGN §10.2). */
export interface ActivityView {
  activity: string;
  waitingFor: string | null;
  message: string | null;
  /** Epoch ms when the current activity began: it names one wait (or idle period). */
  since: number | null;
}

export type NoticeHook = 'onWaiting' | 'onIdle';

export interface Notice {
  hook: NoticeHook;
  /** The event's reason: WaitingForInput or Idle. */
  reason: 'WaitingForInput' | 'Idle';
  view: ActivityView;
}

export interface NoticePlan {
  notices: Notice[];
  memory: NoticeMemory;
  /** Look again this much later: a notice held back by the debounce is due then. */
  recheckAfterMs: number | null;
}

/** Two notices of one kind at least this far apart: a flapping agent (wait, answer, wait) is
 * announced once per burst, the latest wait after the quiet time if it still holds. */
export const DEFAULT_DEBOUNCE_MS = 10_000;

const BUSY = new Set(['Working', 'WaitingForInput']);

/**
 * Decides the notices for the agent's current activity. Level-based: it compares the activity
 * with what was announced already (memory), so it gives the same answer however often it runs,
 * and a restarted controller repeats nothing. An Idle is announced only when it ends a turn (a
 * fresh start's Idle is not news).
 */
export function planNotices(
  view: ActivityView,
  memory: NoticeMemory,
  now: number,
  debounceMs = DEFAULT_DEBOUNCE_MS,
): NoticePlan {
  const m: NoticeMemory = { ...memory, turnSeen: memory.turnSeen || BUSY.has(view.activity) };
  if (view.since === null) return { notices: [], memory: m, recheckAfterMs: null };
  const due = (last: number | null): number => (last === null ? 0 : Math.max(0, last + debounceMs - now));
  if (view.activity === 'WaitingForInput' && view.since !== m.waitNotified) {
    const wait = due(m.lastWaitAt);
    if (wait > 0) return { notices: [], memory: m, recheckAfterMs: wait };
    return {
      notices: [{ hook: 'onWaiting', reason: 'WaitingForInput', view }],
      memory: { ...m, waitNotified: view.since, lastWaitAt: now },
      recheckAfterMs: null,
    };
  }
  if (view.activity === 'Idle' && m.turnSeen && view.since !== m.idleNotified) {
    const wait = due(m.lastIdleAt);
    if (wait > 0) return { notices: [], memory: m, recheckAfterMs: wait };
    return {
      notices: [{ hook: 'onIdle', reason: 'Idle', view }],
      memory: { ...m, idleNotified: view.since, lastIdleAt: now, turnSeen: false },
      recheckAfterMs: null,
    };
  }
  return { notices: [], memory: m, recheckAfterMs: null };
}

/** The event message of a notice, before secrets are scrubbed. */
export function noticeMessage(n: Notice): string {
  if (n.reason === 'Idle') return 'the turn ended: idle, waiting for a prompt';
  const why = n.view.waitingFor ?? 'input';
  return n.view.message ? `waiting for ${why}: ${n.view.message}` : `waiting for ${why}`;
}

/** The JSON a URL hook receives (DESIGN §10.3). */
export interface NoticePayload {
  agent: string;
  activity: string;
  waitingFor: string | null;
  message: string | null;
  since: string | null;
  host: string;
}

export function noticePayload(agent: string, host: string, n: Notice, scrub: (s: string) => string): NoticePayload {
  return {
    agent,
    activity: n.view.activity,
    waitingFor: n.view.waitingFor,
    message: n.view.message === null ? null : scrub(n.view.message),
    since: n.view.since === null ? null : new Date(n.view.since).toISOString(),
    host,
  };
}
