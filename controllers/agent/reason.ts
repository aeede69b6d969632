// Every reason an agent's plan, status conditions and events give: one CamelCase word each.
import { z } from 'zod';

/** Why the planner chose an action (Plan.reason); also the reason of the status conditions it drives. */
export const PlanReason = z.enum([
  'SpecInvalid',
  'NotOwned',
  'PlacedElsewhere',
  'SpecRemoved',
  'PruneBlocked',
  'DependentsStopping',
  'NameConflict',
  'Suspended',
  'Stopped',
  'StateStopped',
  'DependencyNotReady',
  'SpecChanged',
  'RestartRequested',
  'Unhealthy',
  'AllocationNotRunning',
  'Queued',
  'WalltimeRollover',
  'InSync',
  'NotRunning',
  'Vanished',
  'Completed',
  'Exited',
  'BackOff',
  'RetryLimit',
  'HostUnreachable',
  'RuntimeUnavailable',
  'ContextFull',
  'StartupTimeout',
  'WorkspaceKept',
  'BudgetExceeded',
]);
export type PlanReason = z.infer<typeof PlanReason>;

/** Reasons of the status conditions that no plan gives. */
export const ConditionReason = z.enum([
  'Ready',
  'NotReady',
  'StartingUp',
  'Settled',
  'AsExpected',
  'SpecValid',
  'NotStalled',
]);

/** Reasons of events that no plan gives. */
export const EventReason = z.enum([
  'Started',
  'Recreated',
  'Restarted',
  'Adopted',
  'Healthy',
  'RolloverQueued',
  'HandedOver',
  'StepFailed',
  'KeysFailed',
  'ContextCompacted',
  'PromptAnswered',
  'SessionReady',
  'StartupUnsupported',
  'CommandRefused',
  'CommandTyped',
  'HookSucceeded',
  'HookFailed',
  'Resumed',
  'WorkdirFileKept',
  // Placement across Hosts (DESIGN §10.4).
  'Moved',
  'Fenced',
  'FencedCopyStopped',
  'FenceCleared',
  'BudgetReset',
  'Idle',
  'WaitingForInput',
]);

/** Every reason written to an agent's record: plan, status condition or event. */
export const Reason = z.enum([...PlanReason.options, ...ConditionReason.options, ...EventReason.options]);
export type Reason = z.infer<typeof Reason>;
