// Which runtime an agent lives in (pure): the one place that decides it, from its record or its spec.
import type { DesiredAgent } from '../../src/spec/load.js';
import type { AgentRecord } from '../../src/registry/record.js';

/** The runtime key of an agent: where its live incarnation is (record), else where its spec puts it. */
export function runtimeKeyOf(desired: DesiredAgent | undefined, record: Pick<AgentRecord, 'runtime'> | undefined): string {
  return record?.runtime ?? desired?.spec.runtime ?? 'tmux';
}

/** Where a new incarnation of the desired spec goes. */
export function targetKeyOf(desired: DesiredAgent): string {
  return desired.spec.runtime;
}
