// A running Claude agent's attention: its notices, its day's spend and its budget; and the budget's suspension lifted when due.
import { EMPTY_NOTICES } from '../../../src/registry/attention-record.js';
import type { AgentRecord } from '../../../src/registry/record.js';
import type { DesiredAgent } from '../../../src/spec/load.js';
import type { AgentDeps } from '../deps.js';
import { addEvent } from '../events.js';
import type { Plan } from '../plan.js';
import { foldSpend, localDay, planBudget } from './budget-plan.js';
import { noticeStep, sendNotice } from './notice-step.js';

/** After the Claude status was folded in (sessionStep): notices, then the budget. Mutates `rec`. */
export async function attentionStep(
  d: AgentDeps,
  rec: AgentRecord,
  desired: DesiredAgent,
): Promise<{ requeueAfterMs?: number }> {
  const c = rec.claude;
  if (!desired.spec.claude || !c) return {};
  const out = await noticeStep(d, rec, desired, {
    activity: c.activity,
    waitingFor: c.waitingFor,
    message: c.waitingMessage,
    since: c.activitySince,
  });
  const now = d.now();
  const day = localDay(now);
  const session = c.hooks?.incarnation ?? rec.handle ?? '';
  const spend = foldSpend(
    rec.attention?.spend ?? null,
    day,
    c.costUsd !== null ? { session, costUsd: c.costUsd } : null,
  );
  const attention = { notices: rec.attention?.notices ?? EMPTY_NOTICES, spend };
  rec.attention = attention;
  const action = planBudget(spend, desired.spec.claude.budget, desired.hash);
  if (action.kind === 'suspend') {
    rec.suspended = true;
    rec.suspendStop = true;
    attention.spend = { ...spend, suspendedDay: day, suspendedHash: desired.hash };
    addEvent(rec, now, 'Warning', 'BudgetExceeded', `${action.message}: suspended (and stopped) until the next day`);
    return { requeueAfterMs: 0 };
  }
  if (action.kind === 'notify') {
    attention.spend = { ...spend, notifiedDay: day };
    addEvent(rec, now, 'Warning', 'BudgetExceeded', action.message);
    await sendNotice(d, rec, desired, {
      hook: 'onWaiting',
      reason: 'WaitingForInput',
      view: { activity: 'BudgetExceeded', waitingFor: null, message: action.message, since: now },
    });
  }
  return out;
}

/** Before planning: a budget suspension of an earlier day, or of another spec, is lifted (only
 * the budget's own; a user's suspension stays). Resolves with the time until the next local
 * midnight while the budget holds the agent, so that it is looked at again then. */
export function budgetGate(d: AgentDeps, rec: AgentRecord, desired: DesiredAgent | undefined): number | undefined {
  const s = rec.attention?.spend;
  if (!s?.suspendedDay || !desired) return undefined;
  const now = d.now();
  const folded = foldSpend(s, localDay(now), null);
  const action = planBudget(folded, desired.spec.claude?.budget, desired.hash);
  if (action.kind !== 'lift') {
    const midnight = new Date(now);
    midnight.setHours(24, 0, 0, 0);
    return midnight.getTime() - now + 1000;
  }
  rec.suspended = false;
  rec.suspendStop = false;
  rec.attention = { ...rec.attention!, spend: { ...folded, suspendedDay: null, suspendedHash: null } };
  addEvent(rec, now, 'Normal', 'BudgetReset', action.message);
  return undefined;
}

/** The planner's Suspended, said as the budget's when the budget suspended the agent. */
export function withBudgetReason(p: Plan, rec: AgentRecord): Plan {
  if (p.reason !== 'Suspended' || !rec.attention?.spend?.suspendedDay) return p;
  return {
    ...p,
    reason: 'BudgetExceeded',
    message: "over the day's budget: suspended until the next day or a spec change",
  };
}

/** While the budget holds the agent, it is looked at again at the next local midnight. */
export function withBudgetWait(p: Plan, wait: number | undefined): Plan {
  return wait === undefined ? p : { ...p, requeueAfterMs: Math.min(p.requeueAfterMs ?? Infinity, wait) };
}
