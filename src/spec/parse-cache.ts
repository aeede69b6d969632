// Remembers parsed spec files by content, in memory and optionally on disk, so that unchanged
// files are not parsed again (YAML parsing is most of what loading a large folder costs).
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { sha256 } from './hash.js';
import { parseYamlValues, withLocators, type ParsedFile, type ParsedValues } from './yaml-source.js';

const VERSION = 1;

export class ParseCache {
  private entries = new Map<string, ParsedValues>();
  private used = new Set<string>();
  private dirty = false;

  /** `file`: where the cache is kept between runs (under the state dir); memory only without. */
  constructor(private readonly file?: string) {}

  async loadDisk(): Promise<void> {
    if (!this.file) return;
    try {
      const data = JSON.parse(await readFile(this.file, 'utf8')) as { version?: number; entries?: Record<string, ParsedValues> };
      if (data.version === VERSION && data.entries) this.entries = new Map(Object.entries(data.entries));
    } catch {
      /* no cache yet, or unreadable: parse everything */
    }
  }

  /** The parsed file; the key covers the path shown in errors and the exact content. */
  parse(shown: string, text: string): ParsedFile {
    const key = sha256(`${shown}\0${text}`);
    this.used.add(key);
    let v = this.entries.get(key);
    if (!v) {
      v = parseYamlValues(shown, text);
      this.entries.set(key, v);
      this.dirty = true;
    }
    return withLocators(shown, text, v);
  }

  /** Ends a load: forgets what that load did not use (files changed or gone). */
  sweep(): void {
    for (const k of this.entries.keys()) {
      if (!this.used.has(k)) {
        this.entries.delete(k);
        this.dirty = true;
      }
    }
    this.used.clear();
  }

  async saveDisk(): Promise<void> {
    if (!this.file || !this.dirty) return;
    await mkdir(dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify({ version: VERSION, entries: Object.fromEntries(this.entries) }));
    this.dirty = false;
  }
}
