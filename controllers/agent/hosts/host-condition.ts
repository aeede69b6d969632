// The HostReady condition of an agent driven over SSH, and how an unreachable host shows on it (pure).
import { HostUnreachableError } from '../../../src/exec/ssh-errors.js';
import type { HostState } from '../../../src/hosts/remote-host.js';
import type { Condition } from '../../../src/registry/record.js';
import type { Plan } from '../plan.js';

type Wanted = Omit<Condition, 'lastTransitionTime'>;

/** What the agent's Host looks like now. `known`: the Host is in the specs with `ssh`. */
export function hostReady(host: string, known: boolean, s: HostState | undefined): Wanted {
  if (!known)
    return {
      type: 'HostReady',
      status: 'False',
      reason: 'HostNotDefined',
      message: `Host ${host} is not in the specs with ssh: add it (kind: Host) to reach this agent again`,
    };
  if (!s || s.reachable === null) return { type: 'HostReady', status: 'Unknown', reason: 'Connecting', message: '' };
  if (!s.reachable)
    return { type: 'HostReady', status: 'False', reason: 'HostUnreachable', message: s.fix ?? s.message ?? '' };
  const failed = s.checks.filter((c) => !c.ok);
  if (failed.length > 0)
    return {
      type: 'HostReady',
      status: 'False',
      reason: 'PreflightFailed',
      message: failed.map((c) => `${c.message}: ${c.fix ?? ''}`).join('; '),
    };
  return { type: 'HostReady', status: 'True', reason: 'HostReady', message: s.tmuxVersion ?? '' };
}

/** The condition list with HostReady set (its transition time kept while its status holds);
 * without a host, HostReady is dropped. */
export function withHostReady(
  conditions: readonly Condition[],
  previous: readonly Condition[],
  wanted: Wanted | undefined,
  nowIso: string,
): Condition[] {
  const rest = conditions.filter((c) => c.type !== 'HostReady');
  if (!wanted) return rest;
  const prev = previous.find((c) => c.type === 'HostReady');
  return [
    ...rest,
    { ...wanted, lastTransitionTime: prev && prev.status === wanted.status ? prev.lastTransitionTime : nowIso },
  ];
}

/** The plan of an agent whose runtime could not be observed: HostUnreachable with the error's
 * one-line fix when its host did not answer, RuntimeUnavailable otherwise. */
export function unavailablePlan(key: string, err: Error): Plan {
  if (err instanceof HostUnreachableError)
    return { action: 'wait', reason: 'HostUnreachable', message: err.fix, phase: 'Unknown' };
  return {
    action: 'wait',
    reason: 'RuntimeUnavailable',
    message: `cannot observe ${key}: ${err.message}`,
    phase: 'Unknown',
  };
}
