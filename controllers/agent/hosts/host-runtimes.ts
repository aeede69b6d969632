// This machine's runtimes plus, per Host with `ssh`, that host's (`tmux@gpu1`...): made and remade by refresh() when the Hosts change.
//
// Reads (has, get, keys, stateOf...) have no effects: only refresh() and close() open or retire a
// host's ssh master, so looking up a runtime can never close a connection in use.
import { hostOfKey } from '../../../src/runtime/runtime-key.js';
import { rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Executor } from '../../../src/exec/executor.js';
import type { SshTuning } from '../../../src/exec/ssh-options.js';
import { writeHostStatus } from '../../../src/hosts/host-status-file.js';
import type { HostState, RemoteMachine } from '../../../src/hosts/remote-host.js';
import { remoteRuntimes, type RemoteRuntimes } from '../../../src/hosts/remote-runtimes.js';
import { RuntimeSet } from '../../../src/runtime/runtime-set.js';
import type { Runtime } from '../../../src/runtime/types.js';
import type { AssembledHost } from '../../../src/spec/assemble-hosts.js';
import type { DesiredAgent } from '../../../src/spec/load.js';
import type { HostFleet } from './fleet.js';

export interface HostRuntimesOptions {
  /** The Hosts as last loaded (a new map after each reload): read by refresh(). */
  hosts: () => ReadonlyMap<string, AssembledHost>;
  agents: () => Iterable<DesiredAgent>;
  /** Control sockets: `<state>/ssh` for the controller and --once, a folder of its own for others. */
  sshDir: string;
  /** The ssh folder is this process's own: removed at close. */
  ownSshDir?: boolean;
  /** Where host statuses are kept for `get hosts`; unset: not kept. */
  stateDir?: string;
  controllerHome: string;
  defaultSocket: string;
  owner: string;
  log: Logger;
  /** Wraps each remote runtime (batching of starts and stops). */
  wrap?: (rt: Runtime) => Runtime;
  tuning?: Partial<SshTuning>;
  minRetryMs?: number;
  maxRetryMs?: number;
  /** The clock (epoch ms) for the status files' pacing. */
  now?: () => number;
}

interface Entry {
  spec: string;
  ssh: string;
  remote: RemoteRuntimes;
  runtimes: Map<string, Runtime>;
  off: () => void;
}

const STATUS_EVERY_MS = 30_000;

export class HostRuntimes extends RuntimeSet implements HostFleet {
  private readonly entries = new Map<string, Entry>();
  private seen: ReadonlyMap<string, AssembledHost> | undefined;
  private readonly listeners = new Set<(host: string, s: HostState) => void>();
  private readonly replacedListeners = new Set<(keys: string[]) => void>();
  private readonly written = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly local: ReadonlyMap<string, Runtime>,
    private readonly o: HostRuntimesOptions,
  ) {
    super(local);
    this.refresh();
  }

  override has(key: string): boolean {
    return this.local.has(key) || this.remote(key) !== undefined;
  }

  override get(key: string): Runtime {
    const rt = this.local.get(key) ?? this.remote(key);
    if (!rt) throw new Error(`runtime ${key} is not available`);
    return rt;
  }

  override keys(): string[] {
    return [...this.local.keys(), ...[...this.entries.values()].flatMap((e) => [...e.runtimes.keys()])];
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  stateOf(host: string): HostState | undefined {
    return this.entries.get(host)?.remote.host.state;
  }

  onChange(fn: (host: string, s: HostState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Told the keys whose runtime was remade or dropped (their cached views are stale). */
  onReplaced(fn: (keys: string[]) => void): () => void {
    this.replacedListeners.add(fn);
    return () => this.replacedListeners.delete(fn);
  }

  machine(host: string): Promise<RemoteMachine> {
    const e = this.entries.get(host);
    return e ? e.remote.host.machine() : Promise.reject(new Error(`Host ${host} is not in the specs with ssh`));
  }

  probeTarget(host: string): { exec: Executor; home: string } | undefined {
    const m = this.entries.get(host)?.remote.host.known;
    return m ? { exec: m.exec, home: m.home } : undefined;
  }

  /** ssh processes started so far, over every host (bench, tests). */
  sshStats(): { masters: number; clients: number; controls: number } {
    const sum = { masters: 0, clients: 0, controls: 0 };
    for (const e of this.entries.values()) {
      const s = e.remote.host.ssh.stats;
      sum.masters += s.masters;
      sum.clients += s.clients;
      sum.controls += s.controls;
    }
    return sum;
  }

  /** Writes every host's status now (latency included), e.g. at the end of a converge. */
  async saveStatuses(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => this.save(e.remote.host.state, true)));
  }

  private remote(key: string): Runtime | undefined {
    const host = hostOfKey(key);
    if (host === undefined) return undefined;
    return this.entries.get(host)?.runtimes.get(key);
  }

  private agentsOn(host: string): DesiredAgent[] {
    return [...this.o.agents()].filter((a) => a.remoteHost === host);
  }

  /** Brings the hosts' runtimes in line with the Hosts as loaded: new ones made, changed ones
   * remade (their ssh master kept when only other fields changed), removed ones closed. Called
   * after each load of the specs; a no-op when the Hosts are the same map as last time. */
  refresh(): void {
    const hosts = this.o.hosts();
    if (hosts === this.seen || this.closed) return;
    this.seen = hosts;
    const replaced: string[] = [];
    for (const [name, h] of hosts) {
      const spec = h.document.spec;
      if (!spec.ssh) continue;
      const specJson = JSON.stringify(spec);
      const sshJson = JSON.stringify(spec.ssh);
      const old = this.entries.get(name);
      if (old?.spec === specJson) continue;
      const reuse = old?.ssh === sshJson ? old.remote.host : undefined;
      if (old) {
        replaced.push(...old.runtimes.keys());
        if (!reuse) this.retire(old);
      }
      const remote = remoteRuntimes(
        {
          name,
          spec: { ...spec, ssh: spec.ssh },
          sshDir: this.o.sshDir,
          controllerHome: this.o.controllerHome,
          defaultSocket: this.o.defaultSocket,
          owner: this.o.owner,
          workdirs: () => this.agentsOn(name).map((a) => a.spec.workdir ?? `~/agents/${a.name}`),
          log: this.o.log,
          ...(this.o.tuning ? { tuning: this.o.tuning } : {}),
          ...(this.o.minRetryMs !== undefined ? { minRetryMs: this.o.minRetryMs } : {}),
          ...(this.o.maxRetryMs !== undefined ? { maxRetryMs: this.o.maxRetryMs } : {}),
        },
        reuse,
      );
      const runtimes = new Map([...remote.runtimes].map(([k, rt]) => [k, this.o.wrap ? this.o.wrap(rt) : rt]));
      const off = reuse ? old!.off : remote.host.onChange((s) => this.changed(name, s));
      this.entries.set(name, { spec: specJson, ssh: sshJson, remote, runtimes, off });
    }
    for (const [name, e] of this.entries) {
      if (hosts.get(name)?.document.spec.ssh) continue;
      replaced.push(...e.runtimes.keys());
      this.retire(e);
      this.entries.delete(name);
    }
    if (replaced.length > 0) for (const fn of this.replacedListeners) fn(replaced);
  }

  private changed(name: string, s: HostState): void {
    if (s.reachable === false) this.o.log.warn({ host: name, reason: s.reason, fix: s.fix }, 'host unreachable');
    else if (s.reachable === true)
      this.o.log.info({ host: name, tmux: s.tmuxVersion, latencyMs: s.latencyMs }, 'host reachable');
    void this.save(s, true);
    for (const fn of this.listeners) fn(name, s);
  }

  private async save(s: HostState, force = false): Promise<void> {
    if (!this.o.stateDir) return;
    const last = this.written.get(s.name) ?? 0;
    const now = (this.o.now ?? Date.now)();
    if (!force && now - last < STATUS_EVERY_MS) return;
    this.written.set(s.name, now);
    await writeHostStatus(this.o.stateDir, s).catch((err: Error) =>
      this.o.log.warn({ host: s.name, error: err.message }, 'cannot write the host status'),
    );
  }

  /** Keeps latency in the status file fresh (at most every 30 s). */
  touch(host: string): void {
    const e = this.entries.get(host);
    if (e) void this.save(e.remote.host.state);
  }

  private retire(e: Entry): void {
    e.off();
    void e.remote.host.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.saveStatuses();
    await Promise.all(
      [...this.entries.values()].map(async (e) => {
        e.off();
        await e.remote.host.close().catch(() => undefined);
      }),
    );
    this.entries.clear();
    if (this.o.ownSshDir) await rm(this.o.sshDir, { recursive: true, force: true }).catch(() => undefined);
  }
}
