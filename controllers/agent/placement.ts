// Which runtime an agent lives in (pure): the one place that decides it, from its record or its spec.
import type { DesiredAgent } from '../../src/spec/load.js';
import type { AgentRecord } from '../../src/registry/record.js';
import type { RuntimeName } from '../../src/spec/schema.js';
import { formatRuntimeKey } from '../../src/runtime/runtime-key.js';

export { hostOfKey } from '../../src/runtime/runtime-key.js';

/** The key of `runtime` on `host` (this machine when undefined). */
export function runtimeKey(runtime: RuntimeName, host: string | undefined): string {
  return formatRuntimeKey({ runtime, ...(host !== undefined ? { host } : {}) });
}

/** The runtime key of an agent: where its live incarnation is (record), else where its spec puts it. */
export function runtimeKeyOf(
  desired: DesiredAgent | undefined,
  record: Pick<AgentRecord, 'runtime' | 'host'> | undefined,
): string {
  if (record) return runtimeKey(record.runtime, record.host);
  return desired ? targetKeyOf(desired) : 'tmux';
}

/** Where a new incarnation of the desired spec goes. */
export function targetKeyOf(desired: DesiredAgent): string {
  return runtimeKey(desired.spec.runtime, desired.remoteHost);
}

/** Runtime and host of a record made before the agent's first start. */
export function placementOf(desired: DesiredAgent | undefined): { runtime: RuntimeName; host?: string } {
  return {
    runtime: desired?.spec.runtime ?? 'tmux',
    ...(desired?.remoteHost !== undefined ? { host: desired.remoteHost } : {}),
  };
}
