// Start-up of a terminal agent as a step function: from its state and one pane capture, what to do next (pure).
//
// An incarnation goes through up to three stages: `accepting` (claude.autoAccept: answer Claude
// Code's prompts until its input screen shows), `waiting` (startup.readyPattern on the visible
// pane) and `commands` (startup.commands, each typed after its delay), then `done`. The first two
// are bounded by startup.timeoutSeconds from the start; when it passes, onTimeout says whether
// the agent fails (and restarts per its policy) or goes on with a warning.
import type { Reason } from '../reason.js';
import {
  AUTO_ACCEPT_DEFAULTS,
  nextAutoAcceptStep,
  resendDelayMs,
  type AutoAcceptOptions,
  type AutoAcceptState,
  type PromptName,
} from '../../../src/claude/prompts.js';
import type { PromptContext } from '../../../src/claude/prompt-catalog.js';
import { typeLine, type KeyStep } from '../../../src/claude/keys.js';
import type { StartupRecord } from '../../../src/registry/session-record.js';
import type { AgentSpec } from '../../../src/spec/schema.js';

export interface StartupSpec {
  autoAccept: boolean;
  readyPattern?: RegExp;
  timeoutMs: number;
  onTimeout: 'Fail' | 'Proceed';
  commands: { text: string; delayMs: number }[];
}

/** One capture of the agent's visible pane. */
export interface PaneCapture {
  text: string;
  /** Epoch ms when the capture was asked for. */
  takenAt: number;
}

export interface StartupEvent {
  type: 'Normal' | 'Warning';
  reason: Reason;
  message: string;
}

export interface StartupStep {
  state: StartupRecord;
  /** Keys to type now, in order (each step its own send-keys). */
  keys?: KeyStep[];
  /** Set when the keys type a startup command (its index), so they are never typed twice. */
  command?: number;
  events: StartupEvent[];
  /** The timeout passed with onTimeout: Fail: the incarnation is to be ended. */
  failed?: string;
  /** When to look again without a new capture (a delay, a resend, the timeout). */
  wakeAt?: number;
}

/** Answer the same prompt again after this long (a TUI drops keys sent before it reads them). */
export const RESEND_AFTER_MS = AUTO_ACCEPT_DEFAULTS.resendAfterMs;
export const MAX_ATTEMPTS_PER_PROMPT = 3;
/** How soon to look at the pane again after moving a menu's cursor. */
const MOVE_LOOK_MS = 300;
const DEFAULT_TIMEOUT_MS = 90_000;

/** What start-up an agent's spec asks for; undefined when there is nothing to do. */
export function startupSpecOf(spec: AgentSpec): StartupSpec | undefined {
  const s = spec.startup;
  const autoAccept = spec.claude?.autoAccept === true;
  if (!autoAccept && !s?.readyPattern && (s?.commands.length ?? 0) === 0) return undefined;
  return {
    autoAccept,
    ...(s?.readyPattern ? { readyPattern: new RegExp(s.readyPattern, 'm') } : {}),
    timeoutMs: (s?.timeoutSeconds ?? DEFAULT_TIMEOUT_MS / 1000) * 1000,
    onTimeout: s?.onTimeout ?? 'Fail',
    commands: (s?.commands ?? []).map((c) => ({ text: c.text, delayMs: c.delaySeconds * 1000 })),
  };
}

/** The state of a new incarnation. */
export function beginStartup(s: StartupSpec, handle: string, now: number): StartupRecord {
  const base: StartupRecord = {
    handle,
    startedAt: now,
    stage: 'done',
    answered: {},
    lastAnswer: null,
    readyAt: null,
    commandsSent: 0,
    lastKeysAt: null,
    outcome: null,
  };
  if (s.autoAccept) return { ...base, stage: 'accepting' };
  if (s.readyPattern) return { ...base, stage: 'waiting' };
  return { ...base, stage: 'commands', readyAt: now };
}

/** Why an agent in start-up is not Ready yet, for its Ready condition. */
export function startupMessage(s: StartupSpec | undefined, st: StartupRecord): string {
  switch (st.stage) {
    case 'accepting':
      return "starting up: answering Claude Code's start-up prompts";
    case 'waiting':
      return `starting up: waiting for /${s?.readyPattern?.source ?? '?'}/ on the pane`;
    case 'commands':
      return `starting up: typing startup commands (${st.commandsSent}/${s?.commands.length ?? '?'} typed)`;
    case 'done':
      return '';
  }
}

export function nextStartupStep(
  s: StartupSpec,
  st: StartupRecord,
  pane: PaneCapture | undefined,
  now: number,
  /** Claude Code's SessionStart hook of this incarnation ran: its dialogs are behind it. */
  sessionStarted = false,
  ctx: PromptContext = {},
): StartupStep {
  const events: StartupEvent[] = [];
  let state = st;
  // A capture taken before this incarnation started, or before the last keys, says nothing of them.
  const fresh =
    pane !== undefined && pane.takenAt >= st.startedAt && (st.lastKeysAt === null || pane.takenAt > st.lastKeysAt)
      ? pane
      : undefined;
  const deadline = st.startedAt + s.timeoutMs;

  if (state.stage === 'accepting' && sessionStarted) {
    state = { ...state, stage: s.readyPattern ? 'waiting' : 'commands', ...(s.readyPattern ? {} : { readyAt: now }) };
    if (!s.readyPattern) events.push(readyEvent(s, state, now, 'SessionStart hook ran'));
  }

  if (state.stage === 'accepting') {
    if (!fresh)
      return now >= deadline
        ? timedOut(s, state, pane, now, 'answering start-up prompts', events)
        : { state, events, wakeAt: deadline };
    const options: AutoAcceptOptions = {
      timeoutMs: s.timeoutMs,
      resendAfterMs: RESEND_AFTER_MS,
      maxAttemptsPerPrompt: MAX_ATTEMPTS_PER_PROMPT,
    };
    const r = nextAutoAcceptStep(fresh.text, acceptState(state), now, options, ctx);
    switch (r.step.kind) {
      case 'send':
        // A cursor move answers nothing yet: the confirm that follows it is the answer.
        if (!r.step.move)
          events.push({
            type: 'Normal',
            reason: 'PromptAnswered',
            message: `answered Claude Code's ${r.step.prompt} prompt: ${r.step.choice}`,
          });
        state = {
          ...state,
          answered: { ...(r.state.attempts as Record<string, number>) },
          lastAnswer: { prompt: r.step.prompt, at: now, ...(r.step.move ? { move: true } : {}) },
          lastKeysAt: now,
        };
        return { state, keys: r.step.keys, events, wakeAt: Math.min(deadline, nextLook(state, now)) };
      case 'wait':
        return { state, events, wakeAt: Math.min(deadline, state.lastAnswer ? nextLook(state, now) : deadline) };
      case 'timeout':
        return timedOut(s, state, fresh, now, 'answering start-up prompts', events);
      case 'stuck':
        return timedOut(
          s,
          state,
          fresh,
          now,
          `the ${r.step.prompt} prompt stayed after ${MAX_ATTEMPTS_PER_PROMPT} answers`,
          events,
        );
      case 'ready':
        state = {
          ...state,
          stage: s.readyPattern ? 'waiting' : 'commands',
          ...(s.readyPattern ? {} : { readyAt: now }),
        };
        if (!s.readyPattern) events.push(readyEvent(s, state, now));
    }
  }

  if (state.stage === 'waiting') {
    if (fresh && s.readyPattern!.test(fresh.text)) {
      state = { ...state, stage: 'commands', readyAt: now };
      events.push(readyEvent(s, state, now));
    } else if (now >= deadline) {
      return timedOut(s, state, pane, now, `waiting for /${s.readyPattern!.source}/ on the pane`, events);
    } else {
      return { state, events, wakeAt: deadline };
    }
  }

  if (state.stage === 'commands') return nextCommand(s, state, now, events);
  return { state, events };
}

/** After a cursor move, look again soon (the confirm follows as soon as the screen shows the
 * cursor moved); after a confirm, when it may be resent. */
function nextLook(st: StartupRecord, now: number): number {
  const last = st.lastAnswer!;
  if (last.move) return Math.min(now + MOVE_LOOK_MS, last.at + RESEND_AFTER_MS);
  return last.at + resendDelayMs(RESEND_AFTER_MS, st.answered[last.prompt] ?? 1);
}

function nextCommand(s: StartupSpec, st: StartupRecord, now: number, events: StartupEvent[]): StartupStep {
  const i = st.commandsSent;
  if (i >= s.commands.length) return { state: finish(st), events };
  const cmd = s.commands[i]!;
  const from = i === 0 ? (st.readyAt ?? now) : (st.lastKeysAt ?? now);
  const due = from + cmd.delayMs;
  if (now < due) return { state: st, events, wakeAt: due };
  const state = { ...st, commandsSent: i + 1, lastKeysAt: now };
  const more = i + 1 < s.commands.length;
  return {
    state: more ? state : finish(state),
    keys: typeLine(cmd.text),
    command: i,
    events,
    ...(more ? { wakeAt: now + s.commands[i + 1]!.delayMs } : {}),
  };
}

const finish = (st: StartupRecord): StartupRecord => ({ ...st, stage: 'done', outcome: st.outcome ?? 'Ready' });

function readyEvent(s: StartupSpec, st: StartupRecord, now: number, why?: string): StartupEvent {
  const answered = Object.keys(st.answered);
  const what =
    why ?? (s.readyPattern ? `/${s.readyPattern.source}/ seen on the pane` : "Claude Code's input screen shows");
  const prompts = answered.length > 0 ? ` (answered: ${answered.join(', ')})` : '';
  const cmds = s.commands.length > 0 ? `; typing ${s.commands.length} startup command(s)` : '';
  return {
    type: 'Normal',
    reason: 'SessionReady',
    message: `${what} after ${((now - st.startedAt) / 1000).toFixed(1)}s${prompts}${cmds}`,
  };
}

function timedOut(
  s: StartupSpec,
  st: StartupRecord,
  pane: PaneCapture | undefined,
  now: number,
  doing: string,
  events: StartupEvent[],
): StartupStep {
  const why = `start-up did not finish within ${s.timeoutMs / 1000}s (${doing})`;
  const screen = paneTail(pane?.text ?? '');
  const shown = screen ? `; the pane showed:\n${screen}` : '; the pane could not be read';
  if (s.onTimeout === 'Fail') {
    events.push({ type: 'Warning', reason: 'StartupTimeout', message: `${why}: ending it (onTimeout: Fail)${shown}` });
    return { state: { ...st, stage: 'done', outcome: 'Failed' }, events, failed: why };
  }
  events.push({ type: 'Warning', reason: 'StartupTimeout', message: `${why}: going on (onTimeout: Proceed)${shown}` });
  const state: StartupRecord = { ...st, stage: 'commands', readyAt: now, outcome: 'Proceeded' };
  return nextCommand(s, state, now, events);
}

/** The last lines of a capture with something on them, for an event. */
export function paneTail(text: string, maxLines = 15, maxChars = 1500): string {
  const lines = text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
  const tail = lines.slice(-maxLines).join('\n');
  return tail.length > maxChars ? tail.slice(-maxChars) : tail;
}

function acceptState(st: StartupRecord): AutoAcceptState {
  return {
    startedAtMs: st.startedAt,
    attempts: st.answered,
    ...(st.lastAnswer
      ? {
          last: {
            prompt: st.lastAnswer.prompt as PromptName,
            atMs: st.lastAnswer.at,
            ...(st.lastAnswer.move ? { move: true } : {}),
          },
        }
      : {}),
  };
}
