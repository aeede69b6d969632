// A Claude Code session's activity from its hook and status-line events (pure): what it is doing, since when, at what cost.
import type { ActivityEvent, HookInput, StatusInput } from './events-parse.js';

export const ACTIVITIES = ['Starting', 'Working', 'Idle', 'WaitingForInput', 'Exited', 'Unknown'] as const;
export type Activity = (typeof ACTIVITIES)[number];
export const WAITING_FOR = ['permission', 'question', 'login', 'dialog'] as const;
export type WaitingFor = (typeof WAITING_FOR)[number];

export interface ActivityState {
  activity: Activity;
  waitingFor: WaitingFor | null;
  /** What Claude Code said when it started to wait (its notification message). */
  message: string | null;
  /** Epoch ms of the event that set the activity (or waitingFor). */
  since: number | null;
  /** A hook of this incarnation ran: its session has started (SessionStart, or any later hook
   * when only the tail of a long file was read). */
  sessionStarted: boolean;
  sessionId: string | null;
  transcriptPath: string | null;
  model: string | null;
  costUsd: number | null;
  contextPercent: number | null;
  version: string | null;
  /** A compaction under way, and who asked for it (after a manual one the session is idle). */
  compacting: 'manual' | 'auto' | null;
  /** Epoch ms of the last status-line record folded in. */
  statusAt: number | null;
}

export const STARTING: ActivityState = {
  activity: 'Starting',
  waitingFor: null,
  message: null,
  since: null,
  sessionStarted: false,
  sessionId: null,
  transcriptPath: null,
  model: null,
  costUsd: null,
  contextPercent: null,
  version: null,
  compacting: null,
  statusAt: null,
};

function becomes(
  s: ActivityState,
  activity: Activity,
  at: number,
  waitingFor: WaitingFor | null = null,
  message: string | null = null,
): ActivityState {
  if (s.activity === activity && s.waitingFor === waitingFor) return { ...s, message: message ?? s.message };
  return { ...s, activity, waitingFor, message, since: at };
}

/** Claude Code's notification types (hooks reference): what each says the session waits for. */
function notified(s: ActivityState, h: HookInput, at: number): ActivityState {
  const msg = h.message ?? null;
  switch (h.notification_type) {
    case 'permission_prompt':
      return becomes(s, 'WaitingForInput', at, 'permission', msg);
    case 'elicitation_dialog':
      return becomes(s, 'WaitingForInput', at, 'question', msg);
    case 'idle_prompt':
      return s.activity === 'WaitingForInput' ? s : becomes(s, 'Idle', at);
    case 'auth_success':
      return s.waitingFor === 'login' ? becomes(s, 'Idle', at) : s;
    default:
      // Older builds send no type: their permission message still says so.
      if (h.notification_type === undefined && msg && /permission/i.test(msg))
        return becomes(s, 'WaitingForInput', at, 'permission', msg);
      return s;
  }
}

function hook(s: ActivityState, h: HookInput, at: number): ActivityState {
  const ids = {
    ...s,
    sessionStarted: true,
    ...(h.session_id ? { sessionId: h.session_id } : {}),
    ...(h.transcript_path ? { transcriptPath: h.transcript_path } : {}),
    ...(typeof h.model === 'string' ? { model: h.model } : {}),
  };
  switch (h.hook_event_name) {
    case 'SessionStart': {
      // After an automatic compaction the turn that filled the context goes on.
      const on = h.source === 'compact' && s.compacting === 'auto' ? 'Working' : 'Idle';
      // A new, cleared, resumed or compacted session: the last figure is no longer its use.
      return { ...becomes(ids, on, at), contextPercent: null, compacting: null };
    }
    case 'UserPromptSubmit':
    case 'PostToolUse':
      return becomes(ids, 'Working', at);
    case 'PreCompact':
      return { ...becomes(ids, 'Working', at), compacting: h.trigger === 'auto' ? 'auto' : 'manual' };
    case 'Stop':
      return { ...becomes(ids, 'Idle', at), compacting: null };
    case 'Notification':
      return notified(ids, h, at);
    case 'PermissionRequest': {
      // agentctl's PermissionRequest hook (DESIGN §10.3) runs as the dialog would open, ~6 s
      // before the Notification: the wait begins here.
      const tool = typeof h.tool_name === 'string' ? h.tool_name : 'a tool';
      return becomes(ids, 'WaitingForInput', at, 'permission', `Claude wants to use ${tool}`);
    }
    case 'SessionEnd':
      // /clear ends one session and starts the next in the same process.
      if (h.reason === 'clear') return becomes(ids, 'Starting', at);
      if (h.reason === 'logout') return becomes(ids, 'WaitingForInput', at, 'login', 'logged out');
      return becomes(ids, 'Exited', at);
    default:
      return ids;
  }
}

function status(s: ActivityState, st: StatusInput, at: number): ActivityState {
  // A status recorded before /clear or a resume speaks of the session before.
  if (s.sessionId && st.session_id && st.session_id !== s.sessionId && s.statusAt !== null && at <= s.statusAt)
    return s;
  const used = st.context_window?.used_percentage;
  return {
    ...s,
    ...(st.session_id ? { sessionId: st.session_id } : {}),
    ...(st.transcript_path ? { transcriptPath: st.transcript_path } : {}),
    ...(st.model?.id ? { model: st.model.id } : {}),
    ...(st.cost?.total_cost_usd !== undefined ? { costUsd: st.cost.total_cost_usd } : {}),
    ...(used !== undefined ? { contextPercent: used } : {}),
    ...(st.version ? { version: st.version } : {}),
    statusAt: at,
  };
}

export function reduceActivity(s: ActivityState, e: ActivityEvent): ActivityState {
  return e.kind === 'hook' ? hook(s, e.hook, e.at) : status(s, e.status, e.at);
}
