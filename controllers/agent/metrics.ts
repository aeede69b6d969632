// The agent controller's own Prometheus series, beside the generic loop's.
import { Gauge, type Registry } from 'prom-client';
import type { Phase } from '../../src/registry/record.js';
import type { HostFleet } from './hosts/fleet.js';
import type { RecordStore } from './record-store.js';

const PHASES: Phase[] = ['Pending', 'Running', 'Stopped', 'Succeeded', 'Failed', 'CrashLoopBackOff', 'Suspended', 'Unknown'];

export interface HostMetricsSource {
  /** This controller's own host (`--host`): always up while the controller runs. */
  self: string;
  fleet: HostFleet;
}

export function registerAgentMetrics(registry: Registry, records: RecordStore, hosts?: HostMetricsSource): void {
  new Gauge({
    name: 'agentctl_agents',
    help: 'Agents managed by this controller, by phase',
    labelNames: ['phase'],
    registers: [registry],
    collect() {
      const counts = new Map<string, number>();
      for (const r of records.all()) counts.set(r.phase, (counts.get(r.phase) ?? 0) + 1);
      for (const p of PHASES) this.set({ phase: p }, counts.get(p) ?? 0);
    },
  });
  if (!hosts) return;
  new Gauge({
    name: 'agentctl_host_up',
    help: 'Whether each host answers: this controller\'s own, and every Host driven over SSH (1 up, 0 down or not contacted yet)',
    labelNames: ['host'],
    registers: [registry],
    collect() {
      this.reset();
      this.set({ host: hosts.self }, 1);
      for (const name of hosts.fleet.names()) if (name !== hosts.self) this.set({ host: name }, hosts.fleet.stateOf(name)?.reachable === true ? 1 : 0);
    },
  });
}
