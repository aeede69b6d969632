// A FleetSource held in memory for the HTTP server's tests: set, remove and announce agents by hand.
import type { AgentEvent, Condition } from '../../src/registry/record.js';
import type { AgentDetail, AgentItem, FleetListener, FleetSource } from '../../src/http/fleet-source.js';
import type { SpecSummary } from '../../src/http/spec-summary.js';

export function stubItem(name: string, over: Partial<AgentItem> = {}): AgentItem {
  return {
    name,
    runtime: 'tmux',
    desiredState: 'Running',
    phase: 'Running',
    ready: true,
    restarts: 0,
    specHash: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    source: `${name}.yaml`,
    handle: `${name}.1`,
    conditions: [] as Condition[],
    message: 'running',
    upToDate: true,
    lastExit: null,
    startedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    host: 'testhost',
    details: {},
    listen: [],
    extensions: {},
    labels: {},
    ...over,
  };
}

export function stubSpec(name: string, over: Partial<SpecSummary> = {}): SpecSummary {
  return {
    file: `${name}.yaml`,
    hash: 'a1b2c3d4',
    state: 'Running',
    runtime: 'tmux',
    command: `worker --name ${name}`,
    workdir: `/srv/${name}`,
    env: { API_TOKEN: '<redacted>', MODE: 'fast' },
    envFiles: [],
    restartPolicy: 'Always (backoff 10s doubling to 300s)',
    healthCheck: null,
    dependsOn: [],
    host: null,
    labels: {},
    annotations: {},
    hooks: [],
    listen: [],
    ...over,
  };
}

export class StubFleet implements FleetSource {
  readonly agents = new Map<string, AgentItem>();
  readonly events = new Map<string, AgentEvent[]>();
  readonly output = new Map<string, string>();
  readonly secretValues = new Map<string, string[]>();
  isReady = true;
  isHealthy = true;
  metricsBody = '# HELP agentctl_agents Agents\n# TYPE agentctl_agents gauge\nagentctl_agents{phase="Running"} 1\n';
  private readonly listeners = new Set<FleetListener>();

  constructor(items: AgentItem[] = []) {
    for (const i of items) this.agents.set(i.name, i);
  }

  /** Replaces an agent and announces it (as the controller does after saving a record). */
  set(item: AgentItem, announce = true): void {
    this.agents.set(item.name, item);
    if (announce) this.announce([item.name]);
  }

  remove(name: string): void {
    this.agents.delete(name);
    this.announce([name]);
  }

  announce(names: readonly string[] | null): void {
    for (const l of this.listeners) l(names);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  items(): AgentItem[] {
    return [...this.agents.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  item(name: string): AgentItem | undefined {
    return this.agents.get(name);
  }

  detail(name: string): AgentDetail | undefined {
    const item = this.agents.get(name);
    return item
      ? { item, spec: stubSpec(name, { labels: item.labels }), events: this.events.get(name) ?? [] }
      : undefined;
  }

  subscribe(listener: FleetListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async logs(name: string, lines: number): Promise<string> {
    const text = this.output.get(name);
    if (text === undefined) throw new Error(`no output for ${name}`);
    return text.split('\n').slice(-lines).join('\n');
  }

  async secrets(name: string): Promise<readonly string[]> {
    return this.secretValues.get(name) ?? [];
  }

  async metrics(): Promise<{ contentType: string; body: string }> {
    return { contentType: 'text/plain; version=0.0.4; charset=utf-8', body: this.metricsBody };
  }

  healthy(): boolean {
    return this.isHealthy;
  }

  ready(): boolean {
    return this.isReady;
  }
}
