// Conditions (Ready, Progressing, Degraded, SpecInvalid, Stalled) derived from a plan and a record (pure).
import type { AgentRecord, Condition, ConditionType, Phase } from '../../src/registry/record.js';
import type { Plan } from './plan.js';
import type { Reason } from './reason.js';

export interface StatusInput {
  plan: Plan;
  phase: Phase;
  ready: boolean;
  /** Why the agent is not ready, when it is running but not ready. */
  notReadyMessage?: string;
  /** Its reason (default NotReady), e.g. StartingUp while a terminal session starts up. */
  notReadyReason?: Reason;
  /** The step failed (start error, hook failure): the error's message. */
  stepError?: string;
  previous: readonly Condition[];
  nowIso: string;
}

type Wanted = Omit<Condition, 'lastTransitionTime'>;

/** Keeps lastTransitionTime when a condition's status did not change. */
export function mergeConditions(
  previous: readonly Condition[],
  wanted: readonly Wanted[],
  nowIso: string,
): Condition[] {
  return wanted.map((w) => {
    const prev = previous.find((p) => p.type === w.type);
    return { ...w, lastTransitionTime: prev && prev.status === w.status ? prev.lastTransitionTime : nowIso };
  });
}

export function conditionsFor(s: StatusInput): Condition[] {
  const { plan: p } = s;
  const wanted: Wanted[] = [];
  const add = (type: ConditionType, on: boolean, reason: Reason, message: string): void => {
    wanted.push({ type, status: on ? 'True' : 'False', reason, message });
  };
  const readyReason = s.ready ? 'Ready' : p.reason === 'InSync' ? (s.notReadyReason ?? 'NotReady') : p.reason;
  add('Ready', s.ready, readyReason, s.ready ? '' : (s.notReadyMessage ?? p.message));
  const progressing =
    !s.stepError &&
    (p.action === 'create' ||
      p.action === 'recreate' ||
      p.action === 'restart' ||
      p.action === 'stop' ||
      p.reason === 'DependencyNotReady' ||
      p.reason === 'DependentsStopping' ||
      p.reason === 'Queued' ||
      s.notReadyReason === 'StartingUp');
  const progressReason = p.reason === 'InSync' && s.notReadyReason ? s.notReadyReason : p.reason;
  add(
    'Progressing',
    progressing,
    progressing ? progressReason : 'Settled',
    progressing ? p.message || (s.notReadyMessage ?? '') : '',
  );
  const degraded =
    s.phase === 'CrashLoopBackOff' || s.phase === 'Failed' || p.reason === 'Unhealthy' || s.stepError !== undefined;
  add(
    'Degraded',
    degraded,
    degraded ? (s.stepError !== undefined ? 'StepFailed' : p.reason) : 'AsExpected',
    degraded ? (s.stepError ?? p.message) : '',
  );
  const invalid = p.reason === 'SpecInvalid';
  add('SpecInvalid', invalid, invalid ? 'SpecInvalid' : 'SpecValid', invalid ? p.message : '');
  const stalled = p.reason === 'NameConflict' || p.reason === 'PruneBlocked';
  add('Stalled', stalled, stalled ? p.reason : 'NotStalled', stalled ? p.message : '');
  return mergeConditions(s.previous, wanted, s.nowIso);
}

/** Ready: running, and its health check (if any) has passed for this incarnation. */
export function isReady(
  phase: Phase,
  rec: Pick<AgentRecord, 'health' | 'handle'>,
  failureThreshold: number | null,
): boolean {
  if (phase !== 'Running') return false;
  if (failureThreshold === null) return true;
  const h = rec.health;
  return h !== null && h.handle === rec.handle && h.passed && h.consecutiveFailures < failureThreshold;
}
