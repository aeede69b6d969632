// The agent controller's Prometheus series: per-agent readiness and restarts, hosts, phases; pruned agents vanish.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerAgentMetrics, type HostReach } from '../../../../controllers/agent/metrics.js';
import { emptyClaudeRecord } from '../../../../controllers/agent/session/claude-status.js';
import { emptyRecord, type AgentRecord } from '../../../../src/registry/record.js';

const rec = (name: string, r: Partial<AgentRecord>): AgentRecord => ({ ...emptyRecord(name, 'tmux', 'h:1', 0), ...r });

describe('registerAgentMetrics', () => {
  it("agentctl_agent_activity: 1 for each Claude agent's activity, Exited once not running; none for other agents", async () => {
    const claude = {
      ...emptyClaudeRecord(),
      activity: 'WaitingForInput' as const,
      hooks: { incarnation: 'i', handle: 'h', events: 'e', status: 's' },
    };
    const registry = new Registry();
    const records = [
      rec('w', { phase: 'Running', handle: 'h', claude }),
      rec('x', { phase: 'CrashLoopBackOff', handle: 'h', claude }),
      rec('p', { phase: 'Running', handle: 'h' }),
    ];
    registerAgentMetrics(registry, { records: () => records, hosts: () => [] });
    const lines = (await registry.metrics()).split('\n');
    expect(lines).toContain('agentctl_agent_activity{agent="w",activity="WaitingForInput"} 1');
    expect(lines).toContain('agentctl_agent_activity{agent="w",activity="Idle"} 0');
    expect(lines).toContain('agentctl_agent_activity{agent="x",activity="Exited"} 1');
    expect(lines.filter((l) => l.startsWith('agentctl_agent_activity{agent="p"'))).toEqual([]);
  });

  it('reports each agent, each host and each phase, from what the records say at scrape time', async () => {
    let records = [
      rec('a', { phase: 'Running', ready: true, restarts: 3 }),
      rec('b', { phase: 'CrashLoopBackOff', ready: false, restarts: 12 }),
    ];
    let hosts: HostReach[] = [{ host: 'here', up: true }];
    const registry = new Registry();
    registerAgentMetrics(registry, { records: () => records, hosts: () => hosts });
    const text = await registry.metrics();
    expect(text).toContain('# TYPE agentctl_agent_restarts_total counter');
    for (const line of [
      'agentctl_agent_ready{agent="a"} 1',
      'agentctl_agent_ready{agent="b"} 0',
      'agentctl_agent_restarts_total{agent="a"} 3',
      'agentctl_agent_restarts_total{agent="b"} 12',
      'agentctl_host_up{host="here"} 1',
      'agentctl_agents{phase="Running"} 1',
      'agentctl_agents{phase="CrashLoopBackOff"} 1',
      'agentctl_agents{phase="Pending"} 0',
    ])
      expect(text.split('\n')).toContain(line);

    records = [rec('a', { phase: 'Running', ready: false, restarts: 4 })];
    hosts = [
      { host: 'here', up: true },
      { host: 'gpu1', up: false },
    ];
    const after = (await registry.metrics()).split('\n');
    expect(after).toContain('agentctl_agent_ready{agent="a"} 0');
    expect(after).toContain('agentctl_agent_restarts_total{agent="a"} 4');
    expect(after).toContain('agentctl_host_up{host="gpu1"} 0');
    expect(after.some((l) => l.includes('agent="b"'))).toBe(false);
  });
});

describe('attention series', () => {
  it("reports a Claude agent's total spend and how long it has waited", async () => {
    const { emptyClaudeRecord } = await import('../../../../controllers/agent/session/claude-status.js');
    const since = Date.now() - 42_000;
    const records = [
      rec('w', {
        claude: { ...emptyClaudeRecord(), activity: 'WaitingForInput', waitingFor: 'permission', activitySince: since },
        attention: {
          notices: { waitNotified: null, idleNotified: null, lastWaitAt: null, lastIdleAt: null, turnSeen: false },
          spend: {
            day: '2026-12-06',
            closedUsd: 1,
            session: 'a',
            lastCostUsd: 0.5,
            dayStartCostUsd: 0,
            totalUsd: 7.25,
            suspendedDay: null,
            suspendedHash: null,
            notifiedDay: null,
          },
        },
      }),
      rec('i', { claude: { ...emptyClaudeRecord(), activity: 'Idle', activitySince: since } }),
    ];
    const registry = new Registry();
    registerAgentMetrics(registry, { records: () => records, hosts: () => [] });
    const lines = (await registry.metrics()).split('\n');
    expect(lines).toContain('agentctl_agent_cost_usd_total{agent="w"} 7.25');
    const waited = Number(lines.find((l) => l.startsWith('agentctl_agent_waiting_seconds{agent="w"}'))!.split(' ')[1]);
    expect(waited).toBeGreaterThanOrEqual(42);
    expect(lines).toContain('agentctl_agent_waiting_seconds{agent="i"} 0');
  });
});
