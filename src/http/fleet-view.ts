// Builds the fleet page's items and details from the controller's specs and records (pure).
import { statusItems } from '../../controllers/agent/status-items.js';
import type { AgentRecord } from '../registry/record.js';
import type { SpecSet } from '../spec/load.js';
import type { AgentDetail, AgentItem } from './fleet-source.js';
import { specSummary } from './spec-summary.js';

/** What the controller holds in memory: the loaded specs and its registry records. */
export interface FleetState {
  specs: SpecSet;
  records: ReadonlyMap<string, AgentRecord>;
  host: string;
}

function withLabels(s: FleetState, item: ReturnType<typeof statusItems>[number]): AgentItem {
  return { ...item, labels: { ...(s.specs.agents.get(item.name)?.document.metadata.labels ?? {}) } };
}

export function fleetItems(s: FleetState): AgentItem[] {
  return statusItems(s.specs, s.records, s.host).map((i) => withLabels(s, i));
}

/** One agent's item without building the whole fleet's (a burst of changes stays linear). */
export function fleetItem(s: FleetState, name: string): AgentItem | undefined {
  const only = <V>(m: ReadonlyMap<string, V>): Map<string, V> => {
    const v = m.get(name);
    return v === undefined ? new Map() : new Map([[name, v]]);
  };
  const specs: SpecSet = { ...s.specs, agents: only(s.specs.agents), invalidNames: only(s.specs.invalidNames) };
  const item = statusItems(specs, only(s.records), s.host)[0];
  return item ? withLabels(s, item) : undefined;
}

export function fleetDetail(s: FleetState, name: string): AgentDetail | undefined {
  const item = fleetItem(s, name);
  if (!item) return undefined;
  const d = s.specs.agents.get(name);
  return { item, spec: d ? specSummary(d) : null, events: s.records.get(name)?.events ?? [] };
}
