// The one definition of "settled" (what reconcile --once waits for), and the book that remembers it.
import type { AgentRecord } from '../../src/registry/record.js';
import type { Plan } from './plan.js';

/** Outcomes that only a change from outside (time, a fix, a flag, a person) ends. */
const TERMINAL_REASONS = new Set([
  'NameConflict',
  'PruneBlocked',
  'SpecInvalid',
  'BackOff',
  'RetryLimit',
  'Completed',
  'Exited',
  'Suspended',
  'Stopped',
  'NotOwned',
  'HostUnreachable',
]);

export interface SettleInput {
  plan: Plan;
  record: AgentRecord | undefined;
  now: number;
  settleMs: number;
  /** For DependencyNotReady: whether every dependency that is not Ready has itself settled. */
  dependenciesStuck: boolean;
}

/** When an agent started recently stops being "young": it must stay up this long first, so a
 * process that dies at once (bad argument, port taken) is caught before --once reports success.
 * Rounded up to a grid of half a second (or half the settle time, if shorter), so the agents of
 * one start batch, whose start times spread over a busy machine, are looked at again together:
 * one observation per grid step, not one per agent. */
export function settleDueAt(rec: AgentRecord | undefined, settleMs: number): number | null {
  if (!rec || rec.phase !== 'Running' || rec.startedAt === null || settleMs <= 0) return null;
  const grid = Math.max(1, Math.min(500, Math.floor(settleMs / 2)));
  return Math.ceil((rec.startedAt + settleMs) / grid) * grid;
}

export function isSettled(s: SettleInput): boolean {
  const due = settleDueAt(s.record, s.settleMs);
  if (due !== null && due > s.now) return false;
  const p = s.plan;
  // A pruned agent is gone for good: nothing of it is left to look at.
  if (p.action === 'prune') return true;
  if (
    p.action === 'none' &&
    p.reason !== 'Queued' &&
    (s.record === undefined || s.record.phase !== 'Running' || s.record.ready)
  )
    return true;
  if (TERMINAL_REASONS.has(p.reason)) return true;
  // Waiting on dependencies that have themselves settled without becoming Ready: stuck for good.
  return p.reason === 'DependencyNotReady' && s.dependenciesStuck;
}

/** Which agents settled on their last reconcile (a dependent waiting on one reads it here) and,
 * when asked to keep them (reconcile --once reports them), each agent's last plan. */
export class SettledBook {
  private readonly settled = new Set<string>();
  readonly plans = new Map<string, Plan>();

  constructor(private readonly keepPlans = false) {}

  record(name: string, plan: Plan): void {
    if (this.keepPlans) this.plans.set(name, plan);
  }

  set(name: string, settled: boolean): boolean {
    const was = this.settled.has(name);
    if (settled) this.settled.add(name);
    else this.settled.delete(name);
    return was !== settled;
  }

  has(name: string): boolean {
    return this.settled.has(name);
  }
}
