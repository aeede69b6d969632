// The desired side: the specs folder as last loaded, reloaded on change, with a reverse dependsOn index.
import type { Logger } from 'pino';
import { loadSpecs, type DesiredAgent, type SpecSet } from '../../src/spec/load.js';
import { ParseCache } from '../../src/spec/parse-cache.js';
import { folderSignature } from '../../src/spec/walk.js';
import type { AgentRecord } from '../../src/registry/record.js';

export interface DesiredStoreOptions {
  specsDir: string;
  host: string;
  home: string;
  /** Where parsed files are kept between runs (under the state dir). */
  cacheFile: string;
  log: Logger;
}

const emptySet = (specsDir: string): SpecSet => ({
  specsDir,
  exists: false,
  fileCount: 0,
  agents: new Map(),
  elsewhere: new Map(),
  hosts: new Map(),
  errors: [],
  invalidFiles: new Set(),
  invalidNames: new Map(),
});

export class DesiredStore {
  specs: SpecSet;
  private readonly cache: ParseCache;
  private cacheLoaded = false;
  private rejectedSeen = 0;
  private signature: string | undefined;
  /** Who depends on whom (reverse dependsOn), from the specs and from records of agents whose
   * spec is gone: rebuilt when either is loaded, so no step scans every agent. */
  private dependents = new Map<string, Set<string>>();
  private readonly reloaded = new Set<() => void>();

  constructor(private readonly o: DesiredStoreOptions) {
    this.specs = emptySet(o.specsDir);
    this.cache = new ParseCache(o.cacheFile);
  }

  /** Told after each load of the specs (e.g. to bring the Hosts' runtimes in line). */
  onReload(fn: () => void): () => void {
    this.reloaded.add(fn);
    return () => this.reloaded.delete(fn);
  }

  get(name: string): DesiredAgent | undefined {
    return this.specs.agents.get(name);
  }

  dependentsOf(name: string): ReadonlySet<string> {
    return this.dependents.get(name) ?? new Set();
  }

  index(records: Iterable<AgentRecord>): void {
    const idx = new Map<string, Set<string>>();
    const add = (from: string, deps: readonly string[]): void => {
      for (const d of deps) idx.set(d, (idx.get(d) ?? new Set()).add(from));
    };
    for (const a of this.specs.agents.values()) add(a.name, a.spec.dependsOn);
    for (const r of records) {
      const deps = r.appliedSpec?.dependsOn;
      if (Array.isArray(deps))
        add(
          r.name,
          deps.filter((d): d is string => typeof d === 'string'),
        );
    }
    this.dependents = idx;
  }

  /** Reloads only if a file changed since the last load (the periodic safety net behind the
   * watcher: a stat per file instead of reading and parsing them all). */
  async reloadIfChanged(records: Iterable<AgentRecord>): Promise<Set<string>> {
    const sig = await folderSignature(this.o.specsDir);
    if (sig === this.signature) return new Set();
    return this.reload(records, sig);
  }

  /** Reloads the specs; returns the names whose desired state changed in any way. */
  async reload(records: Iterable<AgentRecord>, signature?: string): Promise<Set<string>> {
    // Unknown after a forced reload: the next check recomputes it (and reloads once, cheaply).
    this.signature = signature;
    const before = this.specs;
    if (!this.cacheLoaded) {
      await this.cache.loadDisk();
      this.cacheLoaded = true;
    }
    const after = await loadSpecs({
      specsDir: this.o.specsDir,
      host: this.o.host,
      home: this.o.home,
      cache: this.cache,
    });
    const rejected = this.cache.stats().rejected;
    if (rejected > this.rejectedSeen) {
      // Only a cache: the files were parsed again. Worth a word, since something edited it.
      this.o.log.warn(
        { rejected: rejected - this.rejectedSeen },
        'parse cache entries failed their check and were ignored',
      );
      this.rejectedSeen = rejected;
    }
    this.specs = after;
    for (const fn of this.reloaded) fn();
    const recs = [...records];
    this.index(recs);
    // Documents come out of the same zod schema, so their key order is fixed: plain
    // JSON.stringify compares them.
    const fingerprint = (s: SpecSet, n: string): string => {
      const a = s.agents.get(n);
      return JSON.stringify([
        a ? [a.hash, a.file, a.document] : null,
        s.invalidNames.get(n) ?? null,
        s.elsewhere.get(n) ?? null,
      ]);
    };
    const names = new Set([
      ...before.agents.keys(),
      ...after.agents.keys(),
      ...before.invalidNames.keys(),
      ...after.invalidNames.keys(),
      ...before.elsewhere.keys(),
      ...after.elsewhere.keys(),
    ]);
    // An unchanged spec file keeps its document object across loads (src/spec/document-memo.ts):
    // the same object needs no comparison.
    const same = (n: string): boolean => {
      const a = before.agents.get(n);
      const b = after.agents.get(n);
      return (
        a !== undefined &&
        a.document === b?.document &&
        a.hash === b.hash &&
        a.file === b.file &&
        before.invalidNames.get(n) === after.invalidNames.get(n) &&
        before.elsewhere.get(n) === after.elsewhere.get(n)
      );
    };
    const changed = new Set<string>();
    for (const n of names) if (!same(n) && fingerprint(before, n) !== fingerprint(after, n)) changed.add(n);
    // Any change in which files are broken changes whether prunes may happen at all.
    if (before.invalidFiles.size !== after.invalidFiles.size) for (const r of recs) changed.add(r.name);
    return changed;
  }

  /** Keeps the parse cache for the next run (best effort: it is only a cache). */
  async saveCache(): Promise<void> {
    await this.cache
      .saveDisk()
      .catch((err: Error) => this.o.log.debug({ error: err.message }, 'cannot save the parse cache'));
  }
}
