// What the controller knows at any moment: desired specs, registry records, runtimes and their views.
import type { Logger } from 'pino';
import { loadSpecs, type SpecSet } from '../spec/load.js';
import type { RuntimeName } from '../spec/schema.js';
import { canonicalJson } from '../spec/hash.js';
import { Registry } from '../registry/store.js';
import type { AgentRecord } from '../registry/record.js';
import type { Runtime } from '../runtime/types.js';
import type { HookRunner } from '../hooks/types.js';
import type { Exec } from '../util/exec.js';
import { Observer } from './observer.js';
import { pruneBlockedReason } from './prune-guard.js';

export interface WorldOptions {
  specsDir: string;
  stateDir: string;
  host: string;
  home: string;
  owner: string;
  allowMassPrune: boolean;
  log: Logger;
  runtimes: ReadonlyMap<RuntimeName, Runtime>;
  hooks?: HookRunner;
  exec: Exec;
  now?: () => number;
}

export class World {
  readonly registry: Registry;
  readonly observer: Observer;
  readonly records = new Map<string, AgentRecord>();
  /** Epoch ms after which each agent's next reconcile needs its view taken: set when its last
   * action finished, or when something outside (an exit file) says the world changed. */
  readonly lastAction = new Map<string, number>();
  specs: SpecSet;
  readonly now: () => number;

  constructor(readonly o: WorldOptions) {
    this.registry = new Registry(o.stateDir);
    this.observer = new Observer(o.runtimes, o.now);
    this.now = o.now ?? Date.now;
    this.specs = {
      specsDir: o.specsDir,
      exists: false,
      fileCount: 0,
      agents: new Map(),
      elsewhere: new Map(),
      errors: [],
      invalidFiles: new Set(),
      invalidNames: new Map(),
    };
  }

  /** The agent's next reconcile must not use a view taken before now. */
  needFreshView(name: string): void {
    this.lastAction.set(name, this.now());
  }

  get log(): Logger {
    return this.o.log;
  }

  runtime(name: RuntimeName): Runtime {
    return this.observer.runtime(name);
  }

  hasRuntime(name: RuntimeName): boolean {
    return this.o.runtimes.has(name);
  }

  async loadRegistry(): Promise<void> {
    const { records, broken } = await this.registry.loadAll();
    this.records.clear();
    for (const [k, v] of records) this.records.set(k, v);
    for (const b of broken) this.log.warn({ file: b.file, error: b.message }, 'registry record cannot be read; ignoring it');
  }

  /** Reloads the specs; returns the names whose desired state changed in any way. */
  async reloadSpecs(): Promise<Set<string>> {
    const before = this.specs;
    const after = await loadSpecs({ specsDir: this.o.specsDir, host: this.o.host, home: this.o.home });
    this.specs = after;
    const fingerprint = (s: SpecSet, n: string): string =>
      canonicalJson({ a: s.agents.get(n) ? [s.agents.get(n)!.hash, s.agents.get(n)!.document, s.agents.get(n)!.file] : null, i: s.invalidNames.get(n) ?? null, e: s.elsewhere.get(n) ?? null });
    const names = new Set([...before.agents.keys(), ...after.agents.keys(), ...before.invalidNames.keys(), ...after.invalidNames.keys(), ...before.elsewhere.keys(), ...after.elsewhere.keys()]);
    const changed = new Set<string>();
    for (const n of names) if (fingerprint(before, n) !== fingerprint(after, n)) changed.add(n);
    // Any change in which files are broken changes whether prunes may happen at all.
    if (before.invalidFiles.size !== after.invalidFiles.size) for (const n of this.records.keys()) changed.add(n);
    return changed;
  }

  /** Runtimes that matter now: those of desired agents and of records. */
  runtimesInUse(): RuntimeName[] {
    const used = new Set<RuntimeName>(['tmux']);
    for (const a of this.specs.agents.values()) used.add(a.spec.runtime);
    for (const r of this.records.values()) used.add(r.runtime);
    return [...used].filter((r) => this.o.runtimes.has(r));
  }

  /** Every name this controller should look at: desired, recorded, broken, or marked as ours. */
  allNames(): Set<string> {
    const names = new Set<string>([...this.specs.agents.keys(), ...this.records.keys(), ...this.specs.invalidNames.keys()]);
    for (const rt of this.o.runtimes.keys()) {
      for (const a of this.observer.peek(rt)?.agents.values() ?? []) if (a.owner === this.o.owner) names.add(a.name);
    }
    return names;
  }

  /** Why prunes are refused right now, if they are (DESIGN §7). */
  pruneBlocked(): string | undefined {
    const owned = new Set(this.records.keys());
    for (const rt of this.o.runtimes.keys()) {
      for (const a of this.observer.peek(rt)?.agents.values() ?? []) if (a.owner === this.o.owner) owned.add(a.name);
    }
    let toPrune = 0;
    for (const n of owned) if (!this.specs.agents.has(n) && !this.specs.invalidNames.has(n)) toPrune++;
    return pruneBlockedReason({
      folderExists: this.specs.exists,
      fileCount: this.specs.fileCount,
      owned: owned.size,
      toPrune,
      invalidFiles: this.specs.invalidFiles.size,
      allowMassPrune: this.o.allowMassPrune,
    });
  }
}
