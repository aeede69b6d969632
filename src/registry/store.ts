// Registry on disk: one JSON record per agent under <state>/registry, every write atomic, files private.
import { chmod, readdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { AgentRecord } from './record.js';
import { createHash } from 'node:crypto';
import { readBounded, readBoundedSync } from '../util/bounded-read.js';
import { ensurePrivateDir } from '../util/ensure-dir.js';

const digest = (text: string): string => createHash('sha1').update(text).digest('base64');

/** A record is a few KB (50 events); anything far larger is not one of ours. */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/** A registry write (or removal) that did not happen: the record on disk is the old one. The
 * caller must treat the step as failed (retry, Degraded, a non-zero exit), never as done. */
export class RegistryWriteError extends Error {
  /** The errno code (EPERM, ENOSPC, EACCES, EROFS, ...), when there is one. */
  readonly code: string | undefined;

  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException).code;
    super(`cannot write ${path}: ${code ?? (cause as Error).message}`, { cause });
    this.name = 'RegistryWriteError';
    this.code = code;
  }
}

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
  /** The folders' check, shared by the writes that start before it is done (a converge of 1000
   * agents saves 1000 records at once: one check, not 1000). */
  private dirsReady: Promise<void> | undefined;

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
    for (const f of files) {
      const file = join(this.dir, f);
      try {
        // Small files: sync reads beat the thread pool. Bounded: a FIFO never blocks.
        const text = readBoundedSync(file, MAX_RECORD_BYTES).toString('utf8');
        const rec = AgentRecord.parse(JSON.parse(text));
        records.set(rec.name, rec);
        this.written.set(rec.name, digest(text));
      } catch (err) {
        broken.push({ file, message: (err as Error).message.split('\n')[0] ?? 'unreadable' });
      }
    }
    return { records: new Map([...records].sort(([a], [b]) => (a < b ? -1 : 1))), broken };
  }

  async load(name: string): Promise<AgentRecord | undefined> {
    try {
      const text = (await readBounded(this.file(name), MAX_RECORD_BYTES)).toString('utf8');
      this.written.set(name, digest(text));
      return AgentRecord.parse(JSON.parse(text));
    } catch {
      return undefined;
    }
  }

  /** Writes the record atomically (temp file, fsync, rename), mode 0600; skips an unchanged
   * record. Throws RegistryWriteError when the record could not be written. */
  async save(rec: AgentRecord): Promise<void> {
    const text = `${JSON.stringify(rec, null, 2)}\n`;
    const d = digest(text);
    if (this.written.get(rec.name) === d) return;
    const file = this.file(rec.name);
    try {
      await this.ensureDirs();
      await writeFileAtomic(file, text, { fsync: true, mode: 0o600 });
    } catch (err) {
      // The state dir may have been removed or swapped under us: check it again next time.
      this.dirsReady = undefined;
      throw new RegistryWriteError(file, err);
    }
    this.written.set(rec.name, d);
  }

  /** Removes the record; throws RegistryWriteError when it is still there. */
  async remove(name: string): Promise<void> {
    const file = this.file(name);
    try {
      // unlink, not rm: rm reports a refused unlink as ENOTDIR (it retries as rmdir).
      await unlink(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new RegistryWriteError(file, err);
    }
    this.written.delete(name);
  }

  /** State dir and registry dir 0700. A registry dir that was wider comes from an older
   * agentctl, whose records were 0644: they are narrowed once, here. */
  private ensureDirs(): Promise<void> {
    this.dirsReady ??= (async () => {
      await ensurePrivateDir(dirname(this.dir));
      if (await ensurePrivateDir(this.dir)) {
        for (const f of await readdir(this.dir))
          if (f.endsWith('.json')) await chmod(join(this.dir, f), 0o600).catch(() => undefined);
      }
    })().catch((err: unknown) => {
      this.dirsReady = undefined;
      throw err;
    });
    return this.dirsReady;
  }
}
