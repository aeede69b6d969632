// claude.autoAccept as data: from one capture of the pane, what to type next (pure).
//
// The caller loops: capture the visible pane, call nextAutoAcceptStep, send the keys it returns
// (each step a separate send-keys), wait a moment, and again, until `ready`, `timeout` or
// `stuck`. After keys are sent the TUI needs a moment to redraw, so the same prompt still on the
// pane is not answered again before `resendAfterMs`; if it is still there after that, the keys
// were lost (a TUI drops keys sent before it reads its terminal) and are sent again, up to
// `maxAttemptsPerPrompt` times. The wait doubles with each answer: on a loaded machine a TUI can
// take seconds to read a key it did get, and an extra Enter would land on the next prompt.
import { detectPrompt, isReadyScreen, type PromptContext, type PromptName } from './prompt-catalog.js';
import type { KeyStep } from './keys.js';

export type { PromptName } from './prompt-catalog.js';

export type PaneState =
  { kind: 'prompt'; prompt: PromptName; choice: string; keys: KeyStep[] } | { kind: 'ready' } | { kind: 'unknown' };

/** What one capture of the pane shows. A prompt wins over ready marks elsewhere on the screen. */
export function classifyPane(pane: string, ctx: PromptContext = {}): PaneState {
  const handler = detectPrompt(pane, ctx);
  if (handler) return { kind: 'prompt', prompt: handler.name, choice: handler.choice, keys: handler.keys };
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
  /** How many times each prompt was answered. */
  attempts: Partial<Record<PromptName, number>>;
  last?: { prompt: PromptName; atMs: number };
}

export type AutoAcceptStep =
  | { kind: 'send'; prompt: PromptName; choice: string; keys: KeyStep[] }
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
  const { prompt } = seen;
  const tries = state.attempts[prompt] ?? 0;
  if (state.last?.prompt === prompt && nowMs - state.last.atMs < resendDelayMs(options.resendAfterMs, tries))
    return { step: { kind: 'wait' }, state };
  if (tries >= options.maxAttemptsPerPrompt) return { step: { kind: 'stuck', prompt }, state };
  return {
    step: { kind: 'send', prompt, choice: seen.choice, keys: seen.keys },
    state: { ...state, attempts: { ...state.attempts, [prompt]: tries + 1 }, last: { prompt, atMs: nowMs } },
  };
}
