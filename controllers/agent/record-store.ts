// The registry as the controller holds it: every record in memory, each change written through to disk.
import type { Logger } from 'pino';
import { Registry } from '../../src/registry/store.js';
import { withEvent, type AgentEvent, type AgentRecord } from '../../src/registry/record.js';

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
    rec = this.withLateEvents(rec);
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

  /** Events that arrive after the step that caused them (a URL hook's result), by agent. A
   * reconcile that copied the record before one arrived saves them back in; each is kept for a
   * minute, far longer than a reconcile runs. */
  private readonly late = new Map<string, { event: Omit<AgentEvent, 'count'>; until: number }[]>();

  private withLateEvents(rec: AgentRecord): AgentRecord {
    const pending = (this.late.get(rec.name) ?? []).filter((l) => l.until > Date.now());
    if (pending.length === 0) {
      this.late.delete(rec.name);
      return rec;
    }
    this.late.set(rec.name, pending);
    const has = (e: Omit<AgentEvent, 'count'>): boolean =>
      rec.events.some((x) => x.time === e.time && x.reason === e.reason && x.message === e.message);
    const missing = pending.map((l) => l.event).filter((e) => !has(e));
    return missing.length === 0 ? rec : { ...rec, events: missing.reduce(withEvent, rec.events) };
  }

  /** Records an event that arrived after its step; a failed write is logged (the next save of the
   * record brings it along). */
  async addLateEvent(name: string, event: Omit<AgentEvent, 'count'>): Promise<void> {
    this.late.set(name, [...(this.late.get(name) ?? []), { event, until: Date.now() + 60_000 }]);
    const rec = this.records.get(name);
    if (!rec) return;
    await this.save(rec).catch((err: Error) =>
      this.log.warn({ agent: name, error: err.message }, 'cannot record a late event; the next save brings it'),
    );
  }

  async remove(name: string): Promise<void> {
    await this.registry.remove(name);
    this.records.delete(name);
  }
}
