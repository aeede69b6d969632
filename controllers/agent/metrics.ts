// The agent controller's own Prometheus series, beside the generic loop's (controller-runtime's names).
import { Counter, Gauge, type Registry } from 'prom-client';
import { ACTIVITIES } from '../../src/claude/activity/reduce.js';
import type { AgentRecord, Phase } from '../../src/registry/record.js';

const PHASES: Phase[] = [
  'Pending',
  'Running',
  'Stopped',
  'Succeeded',
  'Failed',
  'CrashLoopBackOff',
  'Suspended',
  'Unknown',
];

/** A machine agents run on, and whether the controller can reach it now. */
export interface HostReach {
  host: string;
  up: boolean;
}

export interface AgentMetricsSource {
  /** The registry records, read at every scrape. */
  records: () => Iterable<AgentRecord>;
  /** Every host the controller places agents on (this one; remote hosts once they exist). */
  hosts: () => readonly HostReach[];
}

/** Series are rebuilt from the records at each scrape, so a pruned agent's series disappear. */
export function registerAgentMetrics(registry: Registry, src: AgentMetricsSource): void {
  new Gauge({
    name: 'agentctl_agents',
    help: 'Agents managed by this controller, by phase',
    labelNames: ['phase'],
    registers: [registry],
    collect() {
      const counts = new Map<string, number>();
      for (const r of src.records()) counts.set(r.phase, (counts.get(r.phase) ?? 0) + 1);
      for (const p of PHASES) this.set({ phase: p }, counts.get(p) ?? 0);
    },
  });
  new Gauge({
    name: 'agentctl_agent_ready',
    help: 'Whether the agent is Ready (1) or not (0)',
    labelNames: ['agent'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of src.records()) this.set({ agent: r.name }, r.ready ? 1 : 0);
    },
  });
  // The record keeps the count (it survives controller restarts); the counter reports it. It only
  // goes down when the agent is pruned and declared again, which Prometheus reads as a reset.
  new Counter({
    name: 'agentctl_agent_restarts_total',
    help: 'Restarts of the agent: incarnations that ended (exits, vanished sessions, restart requests), not spec rolls',
    labelNames: ['agent'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of src.records()) this.inc({ agent: r.name }, r.restarts);
    },
  });
  // The day's spend lives in the record across restarts; its all-days sum is the counter.
  new Counter({
    name: 'agentctl_agent_cost_usd_total',
    help: "A Claude agent's spending in USD, from Claude Code's own cost figure, summed over sessions",
    labelNames: ['agent'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of src.records()) {
        const usd = r.attention?.spend?.totalUsd;
        if (usd !== undefined && usd > 0) this.inc({ agent: r.name }, usd);
      }
    },
  });
  new Gauge({
    name: 'agentctl_agent_waiting_seconds',
    help: 'How long a Claude agent has been waiting for a person (0 when it is not waiting)',
    labelNames: ['agent'],
    registers: [registry],
    collect() {
      this.reset();
      const now = Date.now();
      for (const r of src.records()) {
        const c = r.claude;
        if (!c) continue;
        const waiting = c.activity === 'WaitingForInput' && c.activitySince !== null;
        this.set({ agent: r.name }, waiting ? Math.max(0, (now - c.activitySince!) / 1000) : 0);
      }
    },
  });
  // One series per Claude agent and activity, 1 for the one it is in (kube-state-metrics' phase style).
  new Gauge({
    name: 'agentctl_agent_activity',
    help: 'What a Claude agent is doing, from its hooks: 1 for its current activity, 0 for the others',
    labelNames: ['agent', 'activity'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of src.records()) {
        if (!r.claude) continue;
        const now =
          r.phase === 'Running' && r.handle !== null ? r.claude.activity : r.claude.hooks ? 'Exited' : 'Unknown';
        for (const a of ACTIVITIES) this.set({ agent: r.name, activity: a }, a === now ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'agentctl_host_up',
    help: 'Whether the controller can reach the host (1) or not (0)',
    labelNames: ['host'],
    registers: [registry],
    collect() {
      this.reset();
      for (const h of src.hosts()) this.set({ host: h.host }, h.up ? 1 : 0);
    },
  });
}
