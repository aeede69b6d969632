// A Claude agent's spending: the day's spend across sessions and restarts, and what its budget says to do (pure).
import type { SpendRecord } from '../../../src/registry/attention-record.js';

export interface CostReading {
  /** The session the figure belongs to (the incarnation, or Claude Code's session id). */
  session: string;
  /** Claude Code's cost.total_cost_usd: from 0 in each new session. */
  costUsd: number;
}

/** Folds a cost reading into the day's spend. A new session (restart, /clear) closes the old
 * one's part of the day; a new day starts from the current figure; a figure that went down in the
 * same session is a session Claude Code restarted under the same id. */
export function foldSpend(prev: SpendRecord | null, day: string, reading: CostReading | null): SpendRecord {
  let s: SpendRecord = prev ?? {
    day,
    closedUsd: 0,
    session: null,
    lastCostUsd: 0,
    dayStartCostUsd: 0,
    totalUsd: 0,
    suspendedDay: null,
    suspendedHash: null,
    notifiedDay: null,
  };
  if (s.day !== day) s = { ...s, day, closedUsd: 0, dayStartCostUsd: s.lastCostUsd };
  if (!reading) return s;
  const restarted = reading.session !== s.session || reading.costUsd < s.lastCostUsd;
  if (restarted) {
    const closedPart = s.session === null ? 0 : Math.max(0, s.lastCostUsd - s.dayStartCostUsd);
    return {
      ...s,
      closedUsd: s.closedUsd + closedPart,
      session: reading.session,
      lastCostUsd: reading.costUsd,
      dayStartCostUsd: 0,
      totalUsd: s.totalUsd + reading.costUsd,
    };
  }
  return { ...s, lastCostUsd: reading.costUsd, totalUsd: s.totalUsd + (reading.costUsd - s.lastCostUsd) };
}

/** Spent on the record's day. */
export const spentToday = (s: SpendRecord): number => s.closedUsd + Math.max(0, s.lastCostUsd - s.dayStartCostUsd);

export interface Budget {
  usdPerDay: number;
  onExceed: 'Suspend' | 'Notify';
}

export type BudgetAction =
  | { kind: 'none' }
  /** Suspend (and stop) the agent: reason BudgetExceeded. */
  | { kind: 'suspend'; message: string }
  /** Lift agentctl's own budget suspension: a new day, or the spec changed. */
  | { kind: 'lift'; message: string }
  /** Fire the onWaiting hooks once today with the budget message (Notify). */
  | { kind: 'notify'; message: string };

/**
 * What the budget asks for now. Only a suspension the budget made is ever lifted (it remembers
 * its day and spec hash); a suspension of the user's is not the budget's to lift.
 */
export function planBudget(s: SpendRecord, budget: Budget | undefined, specHash: string): BudgetAction {
  const suspendedByBudget = s.suspendedDay !== null;
  if (suspendedByBudget && (s.suspendedDay !== s.day || s.suspendedHash !== specHash || !budget)) {
    const why = s.suspendedDay !== s.day ? 'a new day began' : 'the spec changed';
    return { kind: 'lift', message: `budget suspension lifted: ${why}` };
  }
  if (!budget) return { kind: 'none' };
  const spent = spentToday(s);
  if (spent < budget.usdPerDay) return { kind: 'none' };
  const message = `spent $${spent.toFixed(2)} today, over the budget of $${budget.usdPerDay.toFixed(2)} a day`;
  if (budget.onExceed === 'Suspend') return suspendedByBudget ? { kind: 'none' } : { kind: 'suspend', message };
  return s.notifiedDay === s.day ? { kind: 'none' } : { kind: 'notify', message };
}

/** The controller's local day of an instant, YYYY-MM-DD (the process's time zone). */
export function localDay(nowMs: number): string {
  const d = new Date(nowMs);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
