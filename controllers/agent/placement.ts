// Which runtime an agent lives in (pure): the one place that decides it, from its record or its spec.
//
// A runtime key is the runtime's name (`tmux`, `slurm`) for this machine, and `<runtime>@<host>`
// for a Host this controller drives over SSH (DESIGN §9.1).
import type { DesiredAgent } from '../../src/spec/load.js';
import type { AgentRecord } from '../../src/registry/record.js';
import type { RuntimeName } from '../../src/spec/schema.js';

export function runtimeKey(runtime: string, host: string | undefined): string {
  return host === undefined ? runtime : `${runtime}@${host}`;
}

/** The host of a remote key (`tmux@gpu1` → `gpu1`); undefined for this machine's runtimes. */
export function hostOfKey(key: string): string | undefined {
  const at = key.indexOf('@');
  return at < 0 ? undefined : key.slice(at + 1);
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

/** The Host an agent is driven on: its record's (where it runs), else its spec's. */
export function remoteHostOf(
  desired: DesiredAgent | undefined,
  record: Pick<AgentRecord, 'host'> | undefined,
): string | undefined {
  return record ? record.host : desired?.remoteHost;
}

/** Runtime and host of a record made before the agent's first start. */
export function placementOf(desired: DesiredAgent | undefined): { runtime: RuntimeName; host?: string } {
  return {
    runtime: desired?.spec.runtime ?? 'tmux',
    ...(desired?.remoteHost !== undefined ? { host: desired.remoteHost } : {}),
  };
}
