// What `agentctl get hosts` shows for each Host: address, reachability, latency, tmux, agents per phase (pure).
import type { HostStatus } from '../../../src/hosts/host-status-file.js';
import type { AgentRecord } from '../../../src/registry/record.js';
import type { SpecSet } from '../../../src/spec/load.js';

export interface HostItem {
  name: string;
  /** `user@host:port`, or null for a Host without ssh (driven by its own controller). */
  address: string | null;
  jump: string[];
  slurm: boolean;
  tmuxSocket: string | null;
  /** True, False, Unknown (never contacted), or `-` (not driven from here). */
  reachable: 'True' | 'False' | 'Unknown' | '-';
  latencyMs: number | null;
  tmuxVersion: string | null;
  /** Agents of this controller on the host, by phase. */
  agents: Record<string, number>;
  message: string;
  checkedAt: number | null;
}

export function hostItems(
  specs: SpecSet,
  statuses: ReadonlyMap<string, HostStatus>,
  records: ReadonlyMap<string, AgentRecord>,
): HostItem[] {
  return [...specs.hosts.values()].map((h) => {
    const spec = h.document.spec;
    const ssh = spec.ssh;
    const s = ssh ? statuses.get(h.name) : undefined;
    const agents: Record<string, number> = {};
    const count = (phase: string): void => void (agents[phase] = (agents[phase] ?? 0) + 1);
    for (const r of records.values()) if (r.host === h.name) count(r.phase);
    for (const a of specs.agents.values()) if (a.remoteHost === h.name && !records.has(a.name)) count('Pending');
    const failed = s?.checks.filter((c) => !c.ok) ?? [];
    const message =
      s?.reachable === false
        ? (s.fix ?? s.message ?? '')
        : failed.map((c) => `${c.message}: ${c.fix ?? ''}`).join('; ');
    return {
      name: h.name,
      address: ssh ? `${ssh.user ? `${ssh.user}@` : ''}${ssh.host}:${ssh.port}` : null,
      jump: ssh?.jump ?? [],
      slurm: spec.slurm,
      tmuxSocket: spec.tmuxSocket ?? null,
      reachable: !ssh ? '-' : s?.reachable === true ? 'True' : s?.reachable === false ? 'False' : 'Unknown',
      latencyMs: s?.latencyMs ?? null,
      tmuxVersion: s?.tmuxVersion ?? null,
      agents,
      message: ssh ? message : 'no ssh: driven by the controller on that host',
      checkedAt: s?.checkedAt ?? null,
    };
  });
}

/** `3 Running, 1 Unknown`, phases in a fixed order. */
export function phaseSummary(agents: Record<string, number>): string {
  const order = ['Running', 'Pending', 'Unknown', 'CrashLoopBackOff', 'Failed', 'Succeeded', 'Stopped', 'Suspended'];
  const keys = Object.keys(agents).sort(
    (a, b) => order.indexOf(a) + 100 * +(order.indexOf(a) < 0) - (order.indexOf(b) + 100 * +(order.indexOf(b) < 0)),
  );
  return keys.length ? keys.map((k) => `${agents[k]} ${k}`).join(', ') : '-';
}
