// Registry on disk: one JSON record per agent under <state>/registry, every write atomic.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { AgentRecord } from './record.js';
import { createHash } from 'node:crypto';

const digest = (text: string): string => createHash('sha1').update(text).digest('base64');

export interface RegistryLoad {
  records: Map<string, AgentRecord>;
  /** Files that could not be read as a record: reported, never treated as "not ours". */
  broken: { file: string; message: string }[];
}

export class Registry {
  readonly dir: string;
  /** Digest of the last content written or read per name: a write that would change nothing
   * is skipped (a digest, not the text: 10,000 records would otherwise keep ~15 MB alive). */
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
          const text = readFileSync(file, 'utf8'); // small files: sync reads beat the thread pool
          const rec = AgentRecord.parse(JSON.parse(text));
          records.set(rec.name, rec);
          this.written.set(rec.name, digest(text));
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
      this.written.set(name, digest(text));
      return AgentRecord.parse(JSON.parse(text));
    } catch {
      return undefined;
    }
  }

  /** Writes the record atomically (temp file, fsync, rename); skips an unchanged record. */
  async save(rec: AgentRecord): Promise<void> {
    const text = `${JSON.stringify(rec, null, 2)}\n`;
    const d = digest(text);
    if (this.written.get(rec.name) === d) return;
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.file(rec.name), text, { fsync: true });
    this.written.set(rec.name, d);
  }

  async remove(name: string): Promise<void> {
    await rm(this.file(name), { force: true });
    this.written.delete(name);
  }
}
