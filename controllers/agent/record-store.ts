// The registry as the controller holds it: every record in memory, each change written through to disk.
import type { Logger } from 'pino';
import { Registry } from '../../src/registry/store.js';
import type { AgentRecord } from '../../src/registry/record.js';

export class RecordStore {
  private readonly records = new Map<string, AgentRecord>();
  readonly registry: Registry;

  constructor(
    stateDir: string,
    private readonly log: Logger,
  ) {
    this.registry = new Registry(stateDir);
  }

  async load(): Promise<void> {
    const { records, broken } = await this.registry.loadAll();
    this.records.clear();
    for (const [k, v] of records) this.records.set(k, v);
    for (const b of broken)
      this.log.warn({ file: b.file, error: b.message }, 'registry record cannot be read; ignoring it');
  }

  get(name: string): AgentRecord | undefined {
    return this.records.get(name);
  }

  has(name: string): boolean {
    return this.records.has(name);
  }

  names(): IterableIterator<string> {
    return this.records.keys();
  }

  /** The records as a read-only map (the fleet page reads it on every request). */
  get view(): ReadonlyMap<string, AgentRecord> {
    return this.records;
  }

  all(): IterableIterator<AgentRecord> {
    return this.records.values();
  }

  get size(): number {
    return this.records.size;
  }

  /** Holds the record and writes it through. A failed write throws, and the record stays marked
   * unsaved (what the controller acts on is what happened; the disk catches up on the retry). */
  async save(rec: AgentRecord): Promise<void> {
    this.records.set(rec.name, rec);
    try {
      await this.registry.save(rec);
      this.unsavedNames.delete(rec.name);
    } catch (err) {
      this.unsavedNames.add(rec.name);
      throw err;
    }
  }

  private readonly unsavedNames = new Set<string>();

  /** The record held differs from the one on disk (its last write failed). */
  unsaved(name: string): boolean {
    return this.unsavedNames.has(name);
  }

  async remove(name: string): Promise<void> {
    await this.registry.remove(name);
    this.records.delete(name);
  }
}
