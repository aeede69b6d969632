// Registry on disk: one JSON record per agent under <state>/registry, every write atomic.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { AgentRecord } from './record.js';

export interface RegistryLoad {
  records: Map<string, AgentRecord>;
  /** Files that could not be read as a record: reported, never treated as "not ours". */
  broken: { file: string; message: string }[];
}

export class Registry {
  readonly dir: string;
  /** Last content written or read per name: a write that would change nothing is skipped. */
  private readonly written = new Map<string, string>();

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'registry');
  }

  file(name: string): string {
    return join(this.dir, `${name}.json`);
  }

  async loadAll(): Promise<RegistryLoad> {
    const records = new Map<string, AgentRecord>();
    const broken: RegistryLoad['broken'] = [];
    let files: string[];
    try {
      files = (await readdir(this.dir)).filter((f) => f.endsWith('.json'));
    } catch {
      return { records, broken };
    }
    await Promise.all(
      files.map(async (f) => {
        const file = join(this.dir, f);
        try {
          const text = await readFile(file, 'utf8');
          const rec = AgentRecord.parse(JSON.parse(text));
          records.set(rec.name, rec);
          this.written.set(rec.name, text);
        } catch (err) {
          broken.push({ file, message: (err as Error).message.split('\n')[0] ?? 'unreadable' });
        }
      }),
    );
    return { records: new Map([...records].sort(([a], [b]) => (a < b ? -1 : 1))), broken };
  }

  async load(name: string): Promise<AgentRecord | undefined> {
    try {
      const text = await readFile(this.file(name), 'utf8');
      this.written.set(name, text);
      return AgentRecord.parse(JSON.parse(text));
    } catch {
      return undefined;
    }
  }

  /** Writes the record atomically (temp file, fsync, rename); skips an unchanged record. */
  async save(rec: AgentRecord): Promise<void> {
    const text = `${JSON.stringify(rec, null, 2)}\n`;
    if (this.written.get(rec.name) === text) return;
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.file(rec.name), text, { fsync: true });
    this.written.set(rec.name, text);
  }

  async remove(name: string): Promise<void> {
    await rm(this.file(name), { force: true });
    this.written.delete(name);
  }
}
