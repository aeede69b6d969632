// claude.autoAccept as data: from one capture of the pane, what to type next (pure).
//
// The caller loops: capture the visible pane, call nextAutoAcceptStep, send the keys it returns
// (each step a separate send-keys), wait a moment, and again, until `ready`, `timeout` or
// `stuck`. After keys are sent the TUI needs a moment to redraw, so the same prompt still on the
// pane is not answered again before `resendAfterMs`; if it is still there after that, the keys
// were lost (a TUI drops keys sent before it reads its terminal) and are sent again, up to
// `maxAttemptsPerPrompt` times. The wait doubles with each answer: on a loaded machine a TUI can
// take seconds to read a key it did get, and an extra Enter would land on the next prompt.
import { detectPrompt, isReadyScreen, plain, type PromptContext, type PromptName } from './prompt-catalog.js';
import type { KeyStep } from './keys.js';

export type { PromptName } from './prompt-catalog.js';

export type PaneState =
  | { kind: 'prompt'; prompt: PromptName; choice: string; keys: KeyStep[]; move: boolean }
  | { kind: 'ready' }
  | { kind: 'unknown' };

/** What one capture of the pane shows. A prompt wins over ready marks elsewhere on the screen.
 * `move`: the menu's cursor is not on the choice yet, and the keys only move it there. */
export function classifyPane(pane: string, ctx: PromptContext = {}): PaneState {
  const handler = detectPrompt(pane, ctx);
  if (handler) {
    const move = handler.select !== undefined && !handler.select.on.test(plain(pane));
    const keys = move && handler.select ? [handler.select.move] : handler.keys;
    return { kind: 'prompt', prompt: handler.name, choice: handler.choice, keys, move };
  }
  return isReadyScreen(pane) ? { kind: 'ready' } : { kind: 'unknown' };
}

export interface AutoAcceptOptions {
  /** Give up (step `timeout`) this long after the start. */
  timeoutMs: number;
  /** Answer the same prompt again only after this long, doubled per answer (the TUI redraws in the meantime). */
  resendAfterMs: number;
  maxAttemptsPerPrompt: number;
}

export const AUTO_ACCEPT_DEFAULTS: AutoAcceptOptions = {
  timeoutMs: 90_000,
  resendAfterMs: 5_000,
  maxAttemptsPerPrompt: 3,
};

export interface AutoAcceptState {
  startedAtMs: number;
  /** How many times each prompt was answered (confirmed; cursor moves are not counted). */
  attempts: Partial<Record<PromptName, number>>;
  last?: { prompt: PromptName; atMs: number; move?: boolean };
}

export type AutoAcceptStep =
  /** `move`: the keys only move a menu's cursor to the choice; the confirm is a later step. */
  | { kind: 'send'; prompt: PromptName; choice: string; keys: KeyStep[]; move: boolean }
  | { kind: 'wait' }
  | { kind: 'ready'; answered: PromptName[] }
  | { kind: 'timeout'; answered: PromptName[] }
  /** The prompt stayed on the pane through every attempt: its keys do not work. */
  | { kind: 'stuck'; prompt: PromptName };

/** How long after its last answer a prompt answered `tries` times may be answered again. */
export const resendDelayMs = (resendAfterMs: number, tries: number): number =>
  resendAfterMs * 2 ** Math.max(0, tries - 1);

export function startAutoAccept(nowMs: number): AutoAcceptState {
  return { startedAtMs: nowMs, attempts: {} };
}

export function nextAutoAcceptStep(
  pane: string,
  state: AutoAcceptState,
  nowMs: number,
  options: AutoAcceptOptions = AUTO_ACCEPT_DEFAULTS,
  ctx: PromptContext = {},
): { step: AutoAcceptStep; state: AutoAcceptState } {
  const answered = Object.keys(state.attempts) as PromptName[];
  const seen = classifyPane(pane, ctx);
  if (seen.kind === 'ready') return { step: { kind: 'ready', answered }, state };
  if (nowMs - state.startedAtMs >= options.timeoutMs) return { step: { kind: 'timeout', answered }, state };
  if (seen.kind === 'unknown') return { step: { kind: 'wait' }, state };
  const { prompt, move } = seen;
  const tries = state.attempts[prompt] ?? 0;
  // The same keys again only after the window: the screen may not show their effect yet. A
  // different step (the confirm after a move the screen shows done) goes at once.
  const same = state.last?.prompt === prompt && (state.last.move ?? false) === move;
  const window = move ? options.resendAfterMs : resendDelayMs(options.resendAfterMs, tries);
  if (same && nowMs - state.last!.atMs < window) return { step: { kind: 'wait' }, state };
  if (!move && tries >= options.maxAttemptsPerPrompt) return { step: { kind: 'stuck', prompt }, state };
  return {
    step: { kind: 'send', prompt, choice: seen.choice, keys: seen.keys, move },
    state: {
      ...state,
      attempts: move ? state.attempts : { ...state.attempts, [prompt]: tries + 1 },
      last: { prompt, atMs: nowMs, ...(move ? { move } : {}) },
    },
  };
}
