// What the controller knows at any moment: desired specs, registry records, runtimes and their views.
import type { Logger } from 'pino';
import { join } from 'node:path';
import { loadSpecs, type SpecSet } from '../spec/load.js';
import { ParseCache } from '../spec/parse-cache.js';
import { folderSignature } from '../spec/walk.js';
import type { RuntimeName } from '../spec/schema.js';
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
  /** Parsed spec files by content: a reload parses only what changed. Kept on disk between runs. */
  readonly parseCache: ParseCache;
  private cacheLoaded = false;

  constructor(readonly o: WorldOptions) {
    this.registry = new Registry(o.stateDir);
    this.parseCache = new ParseCache(join(o.stateDir, 'cache', 'parsed-specs.json'));
    this.observer = new Observer(o.runtimes, o.now);
    this.now = o.now ?? Date.now;
    this.specs = {
      specsDir: o.specsDir,
      exists: false,
      fileCount: 0,
      agents: new Map(),
      elsewhere: new Map(),
      hosts: new Map(),
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
    this.indexDependents();
  }

  private signature: string | undefined;
  /** Who depends on whom (reverse dependsOn), from the specs and from records of agents whose
   * spec is gone: rebuilt when either is loaded, so stop ordering costs no scan per agent. */
  private dependents = new Map<string, Set<string>>();

  dependentsOf(name: string): ReadonlySet<string> {
    return this.dependents.get(name) ?? new Set();
  }

  private indexDependents(): void {
    const idx = new Map<string, Set<string>>();
    const add = (from: string, deps: readonly string[]): void => {
      for (const d of deps) idx.set(d, (idx.get(d) ?? new Set()).add(from));
    };
    for (const a of this.specs.agents.values()) add(a.name, a.spec.dependsOn);
    for (const r of this.records.values()) {
      const deps = r.appliedSpec?.dependsOn;
      if (Array.isArray(deps)) add(r.name, deps.filter((d): d is string => typeof d === 'string'));
    }
    this.dependents = idx;
  }

  /** Reloads the specs only if a file changed since the last load (the periodic safety net
   * behind the watcher: a stat per file instead of reading and parsing them all). */
  async reloadSpecsIfChanged(): Promise<Set<string>> {
    const sig = await folderSignature(this.o.specsDir);
    if (sig === this.signature) return new Set();
    return this.reloadSpecs(sig);
  }

  /** Reloads the specs; returns the names whose desired state changed in any way. */
  async reloadSpecs(signature?: string): Promise<Set<string>> {
    // Unknown after a forced reload: the next check recomputes it (and reloads once, cheaply).
    this.signature = signature;
    const before = this.specs;
    if (!this.cacheLoaded) {
      await this.parseCache.loadDisk();
      this.cacheLoaded = true;
    }
    const after = await loadSpecs({ specsDir: this.o.specsDir, host: this.o.host, home: this.o.home, cache: this.parseCache });
    this.specs = after;
    this.indexDependents();
    // Documents come out of the same zod schema, so their key order is fixed: plain
    // JSON.stringify compares them (canonicalJson's sorting would cost more for nothing).
    const fingerprint = (s: SpecSet, n: string): string => {
      const a = s.agents.get(n);
      return JSON.stringify([a ? [a.hash, a.file, a.document] : null, s.invalidNames.get(n) ?? null, s.elsewhere.get(n) ?? null]);
    };
    const names = new Set([...before.agents.keys(), ...after.agents.keys(), ...before.invalidNames.keys(), ...after.invalidNames.keys(), ...before.elsewhere.keys(), ...after.elsewhere.keys()]);
    const changed = new Set<string>();
    for (const n of names) if (fingerprint(before, n) !== fingerprint(after, n)) changed.add(n);
    // Any change in which files are broken changes whether prunes may happen at all.
    if (before.invalidFiles.size !== after.invalidFiles.size) for (const n of this.records.keys()) changed.add(n);
    return changed;
  }

  /** Keeps the parse cache for the next run (best effort: it is only a cache). */
  async saveCache(): Promise<void> {
    await this.parseCache.saveDisk().catch((err: Error) => this.log.debug({ error: err.message }, 'cannot save the parse cache'));
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
