// What the agent controller asks of the Hosts it drives over SSH (DESIGN §9.1): their state, and word of changes.
import type { Executor } from '../../../src/exec/executor.js';
import type { HostState, RemoteMachine } from '../../../src/hosts/remote-host.js';

export interface HostFleet {
  /** Names of the Hosts with `ssh` in the specs. */
  names(): string[];
  /** What is known of a Host driven from here; undefined when it is not (or not yet) contacted. */
  stateOf(host: string): HostState | undefined;
  /** Told when a Host's reachability or preflight changes (its agents are looked at again). */
  onChange(fn: (host: string, state: HostState) => void): () => void;
  /** The machine of a Host (a call there first when its home is not known yet). */
  machine(host: string): Promise<RemoteMachine>;
  /** Where an exec health probe of an agent on that Host runs (its executor and home), once known. */
  probeTarget(host: string): { exec: Executor; home: string } | undefined;
  /** Keeps the host's status file fresh (latency), at most every 30 s. */
  touch?(host: string): void;
  /** Closes every connection (at shutdown). */
  close(): Promise<void>;
}
