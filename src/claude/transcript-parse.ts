// Claude Code transcript lines (JSONL) folded into what status shows of a session (pure).
//
// Each line of ~/.claude/projects/<workdir slug>/<session>.jsonl is one JSON object: user and
// assistant messages (`type`, `sessionId`, `timestamp`, `message`), summaries, and system lines
// such as the `compact_boundary` Claude Code writes when it compacts. An assistant message carries
// the model and the token usage of its request; the last one of the main conversation (not a
// subagent's side chain) tells how full the context is.
import { contextTokens, contextWindow, percentOf } from './context-window.js';

export interface TranscriptState {
  sessionId?: string;
  model?: string;
  /** Context tokens of the last assistant turn; cleared by a compaction until the next turn. */
  contextTokens?: number;
  /** ISO time of the newest line that carries one. */
  lastActivity?: string;
  /** A turn or a compaction was seen: the state says something about the context. */
  sawContext: boolean;
  /** Lines that were not JSON objects (a torn write, garbage), skipped. */
  badLines: number;
}

export const EMPTY_TRANSCRIPT: TranscriptState = { sawContext: false, badLines: 0 };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Claude Code writes this model name on messages it made up itself (API errors, interrupts). */
const SYNTHETIC_MODEL = '<synthetic>';

export function applyTranscriptLine(state: TranscriptState, line: string): TranscriptState {
  if (line.trim() === '') return state;
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return { ...state, badLines: state.badLines + 1 };
  }
  if (!isObject(obj)) return { ...state, badLines: state.badLines + 1 };
  const next: TranscriptState = { ...state };
  const sessionId = text(obj.sessionId);
  if (sessionId) next.sessionId = sessionId;
  const time = text(obj.timestamp);
  if (
    time &&
    !Number.isNaN(Date.parse(time)) &&
    (next.lastActivity === undefined || Date.parse(time) >= Date.parse(next.lastActivity))
  ) {
    next.lastActivity = time;
  }
  if (obj.type === 'system' && obj.subtype === 'compact_boundary') {
    delete next.contextTokens;
    next.sawContext = true;
    return next;
  }
  const message = isObject(obj.message) ? obj.message : undefined;
  const model = text(message?.model);
  if (
    obj.type !== 'assistant' ||
    obj.isSidechain === true ||
    obj.isApiErrorMessage === true ||
    !message ||
    model === SYNTHETIC_MODEL
  )
    return next;
  if (model) next.model = model;
  if (isObject(message.usage)) {
    next.contextTokens = contextTokens(message.usage);
    next.sawContext = true;
  }
  return next;
}

/** What `get -o wide` / `describe` show of a Claude agent (DESIGN §9.2). */
export interface ClaudeStatus {
  model?: string;
  sessionId?: string;
  /** Percent of the model's context window the last turn used; undefined when unknown. */
  contextPercent?: number;
  contextTokens?: number;
  contextWindow?: number;
  /** ISO time of the session's last line (else of the transcript file's last write). */
  lastActivity?: string;
  /** Where the figures came from. */
  source: 'transcript' | 'pane' | 'none';
}

/** `configuredModel` is the spec's claude.model: its `[1m]` suffix picks the 1M window. */
export function claudeStatusOf(
  state: TranscriptState,
  configuredModel: string | undefined,
  fileMtimeMs?: number,
): ClaudeStatus {
  const out: ClaudeStatus = { source: 'transcript' };
  const model = state.model ?? configuredModel;
  if (model) out.model = model;
  if (state.sessionId) out.sessionId = state.sessionId;
  if (state.contextTokens !== undefined) {
    const window = contextWindow([state.model, configuredModel], state.contextTokens);
    out.contextTokens = state.contextTokens;
    out.contextWindow = window;
    out.contextPercent = percentOf(state.contextTokens, window);
  }
  const activity = state.lastActivity ?? (fileMtimeMs !== undefined ? new Date(fileMtimeMs).toISOString() : undefined);
  if (activity) out.lastActivity = activity;
  return out;
}
