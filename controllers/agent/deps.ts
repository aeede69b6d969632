// Everything the agent controller works with, passed as one typed object (no world, no options bag).
import type { Logger } from 'pino';
import type { Executor } from '../../src/exec/executor.js';
import type { HookRunner } from '../../src/hooks/types.js';
import type { RuntimeSet } from '../../src/runtime/runtime-set.js';
import type { DesiredStore } from './desired-store.js';
import type { HostFleet } from './hosts/fleet.js';
import type { RecordStore } from './record-store.js';
import type { SessionHub } from './session/hub.js';
import type { Views } from './views.js';

export interface Identity {
  /** The owner mark this controller puts on what it starts (host + digest of its state dir). */
  owner: string;
  /** `--host`: placement and overlays. */
  host: string;
  /** For `~` in specs. */
  home: string;
  stateDir: string;
}

export interface Policy {
  allowMassPrune: boolean;
  /** An agent started less than this long ago is not settled yet (reconcile --once). */
  settleMs: number;
}

export interface AgentDeps {
  identity: Identity;
  policy: Policy;
  desired: DesiredStore;
  records: RecordStore;
  runtimes: RuntimeSet;
  views: Views;
  /** What the agents' terminals show (panes, Claude transcripts); absent: sessions are not read. */
  sessions?: SessionHub;
  hooks: HookRunner | undefined;
  /** Runs exec health probes (on this machine). */
  probeExec: Executor;
  /** The base of an agent's environment on this machine (DESIGN §9.5): under its checks' env. */
  baseEnv?: Record<string, string>;
  /** The Hosts this controller drives over SSH (DESIGN §9.1); absent: none. */
  hosts?: HostFleet;
  now: () => number;
  log: Logger;
}
