// The contract between the controller and the HTTP server: what the server reads, and how it hears of changes.
import type { StatusItem } from '../../controllers/agent/status-items.js';
import type { AgentEvent } from '../registry/record.js';
import type { SpecSummary } from './spec-summary.js';

/** One row of the fleet: the `get -o json` item, plus the agent's labels (for the page's filter). */
export interface AgentItem extends StatusItem {
  labels: Record<string, string>;
}

/** What `/api/agents/<name>` shows besides the output: the item, a summary of its spec (secrets
 * already redacted by key) and its recorded events as stored (the server merges repeats). */
export interface AgentDetail {
  item: AgentItem;
  spec: SpecSummary | null;
  events: readonly AgentEvent[];
}

/** Called after agents changed: their names, or null when anything may have changed (a specs
 * reload). Calling it too often costs little: the server sends only items that really differ. */
export type FleetListener = (names: readonly string[] | null) => void;

export interface MetricsText {
  contentType: string;
  body: string;
}

/** Everything the server needs from the controller. Reads are synchronous snapshots of the
 * controller's memory; only output and metrics are fetched. */
export interface FleetSource {
  /** Every agent, sorted by name. */
  items(): readonly AgentItem[];
  item(name: string): AgentItem | undefined;
  detail(name: string): AgentDetail | undefined;
  /** Registers a listener; returns the function that removes it. */
  subscribe(listener: FleetListener): () => void;
  /** The agent's last `lines` lines of output, raw (the server scrubs `secrets` out of it). */
  logs(name: string, lines: number): Promise<string>;
  /** Values that must never be shown for this agent: envFiles values, secret-looking env values. */
  secrets(name: string): Promise<readonly string[]>;
  /** Prometheus text exposition. */
  metrics(): Promise<MetricsText>;
  /** The process is alive and its loop turns (`/healthz`). */
  healthy(): boolean;
  /** The first observation of every runtime is done (`/readyz`). */
  ready(): boolean;
}
