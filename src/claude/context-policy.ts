// claude.context as a decision: compact or restart once per crossing of the trigger (pure).
//
// The policy fires when the context use reaches triggerAtPercent and then disarms: nothing more
// happens, however long the figure stays high (a compaction takes a turn to show in the
// transcript; a restarted agent's new session starts empty). It re-arms only once the use has
// fallen to rearmBelowPercent, REARM_MARGIN_POINTS under the trigger (at most half the trigger
// for small triggers), so a figure wobbling around the trigger never fires twice.
import type { ClaudeContext } from '../spec/schema.js';

/** Percentage points under the trigger that the use must fall to before the policy re-arms. */
export const REARM_MARGIN_POINTS = 20;

export interface ContextPolicyState {
  /** True until the policy fired; true again once the use fell well below the trigger. */
  armed: boolean;
}

export const INITIAL_CONTEXT_POLICY: ContextPolicyState = { armed: true };

export type ContextAction = 'compact' | 'restart';

export interface ContextDecision {
  /** What to do now, if anything. */
  action?: ContextAction;
  state: ContextPolicyState;
  /** Why, for the event: `context 87% ≥ 85%`. */
  reason?: string;
}

/** Where the policy re-arms for a trigger: 85 → 65, 30 → 15, 10 → 5. */
export function rearmBelowPercent(triggerAtPercent: number): number {
  return triggerAtPercent - Math.min(REARM_MARGIN_POINTS, triggerAtPercent / 2);
}

/** `percent` undefined (no transcript, no indicator on the pane, or just compacted) decides
 * nothing and keeps the state. Without claude.context nothing is ever done. */
export function decideContext(
  percent: number | undefined,
  context: ClaudeContext | undefined,
  state: ContextPolicyState,
): ContextDecision {
  if (context === undefined || percent === undefined || !Number.isFinite(percent)) return { state };
  const trigger = context.triggerAtPercent;
  if (state.armed && percent >= trigger) {
    return { action: context.strategy, state: { armed: false }, reason: `context ${fmt(percent)}% ≥ ${fmt(trigger)}%` };
  }
  if (!state.armed && percent <= rearmBelowPercent(trigger)) return { state: { armed: true } };
  return { state };
}

const fmt = (n: number): string => String(Math.round(n * 10) / 10);
