// The output clock on disk: one small JSON-lines file of samples per agent under <state>/logs/clock.
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogCursor } from '../runtime/log-cursor.js';
import { compact, nextSample, type Sample } from './clock.js';

/** Samples kept per agent: only changes are sampled, so this is ~2 h of an agent that prints all
 * the time at the default 30 s resync, and longer for quieter ones. */
export const MAX_SAMPLES = 240;

const isSample = (v: unknown): v is Sample =>
  typeof v === 'object' && v !== null && typeof (v as Sample).t === 'number' && typeof (v as Sample).c === 'object';

export class ClockStore {
  readonly dir: string;
  /** The last sample and the line count of each file this process appended to. */
  private readonly known = new Map<string, { last: Sample | undefined; lines: number }>();

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'logs', 'clock');
  }

  file(name: string): string {
    return join(this.dir, `${name}.jsonl`);
  }

  /** Oldest first; a line that cannot be read is left out (a crash mid-append). */
  async read(name: string): Promise<Sample[]> {
    let text: string;
    try {
      text = await readFile(this.file(name), 'utf8');
    } catch {
      return [];
    }
    const out: Sample[] = [];
    for (const line of text.split('\n')) {
      try {
        const v: unknown = JSON.parse(line);
        if (isSample(v)) out.push(v);
      } catch {
        /* a partial line */
      }
    }
    return out;
  }

  /** Appends a sample when the agent's output moved since the last; compacts a long file. */
  async record(name: string, c: LogCursor, t: number): Promise<void> {
    let k = this.known.get(name);
    if (!k) {
      const all = await this.read(name);
      k = { last: all.at(-1), lines: all.length };
      this.known.set(name, k);
    }
    const s = nextSample(k.last, c, t);
    if (!s) return;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    if (k.lines + 1 > 2 * MAX_SAMPLES) {
      const kept = compact([...(await this.read(name)), s], MAX_SAMPLES);
      const tmp = `${this.file(name)}.tmp`;
      await writeFile(tmp, kept.map((x) => `${JSON.stringify(x)}\n`).join(''), { mode: 0o600 });
      await rename(tmp, this.file(name));
      k.lines = kept.length;
    } else {
      await appendFile(this.file(name), `${JSON.stringify(s)}\n`, { mode: 0o600 });
      k.lines += 1;
    }
    k.last = s;
  }

  /** Forgets an agent no longer sampled (pruned), so its memory is freed. */
  forget(keep: ReadonlySet<string>): void {
    for (const n of this.known.keys()) if (!keep.has(n)) this.known.delete(n);
  }
}
