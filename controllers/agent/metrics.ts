// The agent controller's own Prometheus series, beside the generic loop's.
import { Gauge, type Registry } from 'prom-client';
import type { Phase } from '../../src/registry/record.js';
import type { RecordStore } from './record-store.js';

const PHASES: Phase[] = ['Pending', 'Running', 'Stopped', 'Succeeded', 'Failed', 'CrashLoopBackOff', 'Suspended', 'Unknown'];

export function registerAgentMetrics(registry: Registry, records: RecordStore): void {
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
}
