// Remembers parsed spec files by content, in memory and optionally on disk, so that unchanged
// files are not parsed again (YAML parsing is most of what loading a large folder costs).
//
// A cache is faster, never different. An entry on disk is keyed by the digest of the path and
// the exact text it was parsed from, and carries an HMAC of key and value under a random key
// kept beside it (0600): a cache file of the wrong shape, an entry edited or moved to another
// key, or one written by anything but agentctl, is ignored and the text parsed again. (Whoever
// can read the key file runs as this user already, and could as well replace agentctl itself.)
// Files that hold a secret-looking env value are cached in memory only, never written.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { sha256 } from './hash.js';
import { isSecretKey } from './secrets.js';
import { DocumentMemo } from './document-memo.js';
import { FileMemo } from './file-memo.js';
import { fastParse } from './yaml-fast.js';
import { parseWithYaml, withLocators, type ParsedFile, type ParsedValues } from './yaml-source.js';
import { readBounded } from '../util/bounded-read.js';
import { ensurePrivateDir } from '../util/ensure-dir.js';

/** Bump whenever parseYamlValues' output changes (new checks, new fields): entries parsed by an
 * older agentctl must not skip the new checks. */
const VERSION = 2;
/** ~290,000 specs; a larger file is not one agentctl wrote. */
const MAX_CACHE_BYTES = 128 * 1024 * 1024;
const KEY_BYTES = 32;

const CachedValues = z.object({
  documents: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      value: z.unknown(),
      partial: z.unknown().optional(),
      line: z.number().int(),
      start: z.number().int(),
    }),
  ),
  errors: z.array(
    z.object({
      file: z.string(),
      line: z.number().int(),
      col: z.number().int(),
      path: z.string(),
      message: z.string(),
    }),
  ),
});
const CacheFile = z.object({
  version: z.literal(VERSION),
  entries: z.record(z.string(), z.object({ mac: z.string(), json: z.string() })),
});
type Stored = z.infer<typeof CacheFile>['entries'][string];

export interface ParseCacheStats {
  /** Files whose parse came from the cache (memory or disk). */
  hits: number;
  misses: number;
  /** Entries on disk that failed their check (edited, moved, wrong shape) and were ignored. */
  rejected: number;
}

/** True when any `env` map in a parsed value has a secret-looking key. */
function holdsSecret(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(holdsSecret);
  if (v === null || typeof v !== 'object') return false;
  return Object.entries(v).some(
    ([k, x]) =>
      (k === 'env' && x !== null && typeof x === 'object' && Object.keys(x).some(isSecretKey)) || holdsSecret(x),
  );
}

export class ParseCache {
  private entries = new Map<string, ParsedValues>();
  /** Entries read from disk, checked only when used. */
  private stored = new Map<string, Stored>();
  private secret?: Buffer;
  private used = new Set<string>();
  private dirty = false;
  private counts: ParseCacheStats = { hits: 0, misses: 0, rejected: 0 };
  /** Parsed files by file identity, for reloads in the same process (memory only). */
  readonly files = new FileMemo();
  /** Effective documents and hashes by the objects they came from (memory only). */
  readonly documents = new DocumentMemo();

  /** `file`: where the cache is kept between runs (under the state dir); memory only without. */
  constructor(private readonly file?: string) {}

  private get keyFile(): string | undefined {
    return this.file ? join(dirname(this.file), 'key') : undefined;
  }

  async loadDisk(): Promise<void> {
    if (!this.file || !this.keyFile) return;
    try {
      const key = (await readBounded(this.keyFile, 1024)).toString('utf8').trim();
      if (!/^[0-9a-f]{64}$/.test(key)) return;
      const data = CacheFile.safeParse(JSON.parse((await readBounded(this.file, MAX_CACHE_BYTES)).toString('utf8')));
      if (!data.success) return; // wrong shape or an older version: parse everything, rewrite
      this.secret = Buffer.from(key, 'hex');
      this.stored = new Map(Object.entries(data.data.entries));
    } catch {
      /* no cache yet, or unreadable: parse everything */
    }
  }

  stats(): ParseCacheStats {
    return { ...this.counts };
  }

  private mac(key: string, json: string): Buffer {
    return createHmac('sha256', this.secret!).update(key).update('\0').update(json).digest();
  }

  /** The stored entry for `key` if it passes its check. */
  private fromDisk(key: string): ParsedValues | undefined {
    const s = this.stored.get(key);
    if (!s || !this.secret) return undefined;
    this.stored.delete(key);
    try {
      const given = Buffer.from(s.mac, 'hex');
      const want = this.mac(key, s.json);
      if (given.length !== want.length || !timingSafeEqual(given, want)) throw new Error('mac');
      const v = CachedValues.safeParse(JSON.parse(s.json));
      if (!v.success) throw new Error('shape');
      return v.data;
    } catch {
      this.counts.rejected++;
      return undefined;
    }
  }

  /** The parsed file; the key covers the path shown in errors and the exact content. A plain file
   * that the fast path reads is read again each time: that is cheaper than a hash, an HMAC and a
   * check of its cached entry, and keeps the cache to the files that need `yaml`. */
  parse(shown: string, text: string): ParsedFile {
    return this.parseKeyed(shown, text).parsed;
  }

  /** As parse, with the key of the cache entry it used (none for a file the fast path read). */
  parseKeyed(shown: string, text: string): { parsed: ParsedFile; key?: string } {
    const fast = fastParse(text);
    if (fast) {
      this.counts.hits++;
      return { parsed: withLocators(shown, text, { documents: [fast], errors: [] }) };
    }
    const key = sha256(`${shown}\0${text}`);
    this.used.add(key);
    let v = this.entries.get(key) ?? this.fromDisk(key);
    if (v) {
      this.counts.hits++;
      this.entries.set(key, v);
    } else {
      this.counts.misses++;
      v = parseWithYaml(shown, text);
      this.entries.set(key, v);
      this.dirty = true;
    }
    return { parsed: withLocators(shown, text, v), key };
  }

  /** Keeps an entry through the next sweep (its file was not read again: it had not changed). */
  keep(key: string): void {
    this.used.add(key);
  }

  /** Ends a load: forgets what that load did not use (files changed or gone). */
  sweep(): void {
    this.files.sweep();
    for (const k of this.entries.keys()) {
      if (!this.used.has(k)) {
        this.entries.delete(k);
        this.dirty = true;
      }
    }
    this.stored.clear();
    this.used.clear();
  }

  async saveDisk(): Promise<void> {
    if (!this.file || !this.keyFile || !this.dirty) return;
    await ensurePrivateDir(dirname(this.file));
    if (!this.secret) {
      this.secret = randomBytes(KEY_BYTES);
      await writeFileAtomic(this.keyFile, `${this.secret.toString('hex')}\n`, { fsync: true, mode: 0o600 });
    }
    const entries: Record<string, Stored> = {};
    for (const [key, v] of this.entries) {
      if (v.documents.some((d) => holdsSecret(d.value) || holdsSecret(d.partial))) continue;
      const json = JSON.stringify(v);
      entries[key] = { mac: this.mac(key, json).toString('hex'), json };
    }
    await writeFileAtomic(this.file, JSON.stringify({ version: VERSION, entries }), { mode: 0o600 });
    this.dirty = false;
  }
}
