// Watches the specs folder with chokidar, coalescing bursts, and follows an atomic swap of its symlink.
import { watch, type FSWatcher } from 'chokidar';
import { realpath } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Logger } from 'pino';

export interface SpecWatcherOptions {
  /** Quiet time after a change before reloading: short, so a single edit lands fast. */
  debounceMs?: number;
  /** Quiet time during a burst (the same file again, or at least burstEvents changes, within
   * burstWindowMs): longer, so a storm of writes or a checkout becomes one more reload, not one
   * per pause in it. */
  burstDebounceMs?: number;
  burstEvents?: number;
  burstWindowMs?: number;
  /** Longest a change / a burst may delay a reload. */
  maxWaitMs?: number;
  burstMaxWaitMs?: number;
}

const SPEC_FILE = /\.ya?ml$/;
/** A quiet timer this late, or a second look this long: over chokidar's own stat and throttle. */
const LATE_MS = 60;

/**
 * Calls `onChange` once per burst of changes under the folder. git-sync swaps `specs -> rev-a`
 * for `specs -> rev-b` with a rename: a watcher on the old target would go quiet, so the folder's
 * parent is watched too (for the link itself) and the inner watcher is moved to the new target.
 */
export class SpecWatcher {
  private inner: FSWatcher | undefined;
  private outer: FSWatcher | undefined;
  private target: string | undefined;
  private quiet: NodeJS.Timeout | undefined;
  private cap: NodeJS.Timeout | undefined;
  private closed = false;
  private recent: number[] = [];
  /** When each path last changed: a path changing again within the burst window is a burst. */
  private lastByPath = new Map<string, number>();
  private readonly opts: Required<SpecWatcherOptions>;

  constructor(
    private readonly dir: string,
    private readonly onChange: () => void,
    private readonly log: Logger,
    o: SpecWatcherOptions = {},
  ) {
    this.opts = {
      debounceMs: o.debounceMs ?? 30,
      burstDebounceMs: o.burstDebounceMs ?? 300,
      burstEvents: o.burstEvents ?? 8,
      burstWindowMs: o.burstWindowMs ?? 500,
      maxWaitMs: o.maxWaitMs ?? 1000,
      burstMaxWaitMs: o.burstMaxWaitMs ?? 5000,
    };
  }

  async start(): Promise<void> {
    const abs = resolve(this.dir);
    this.outer = watch(dirname(abs), {
      ignoreInitial: true,
      depth: 0,
      followSymlinks: false,
      ignored: (p: string) => p !== dirname(abs) && resolve(p) !== abs,
    });
    this.outer.on('all', () => {
      void this.retarget().then(() => this.schedule());
    });
    this.outer.on('error', (err) =>
      this.log.warn({ error: String(err) }, "watcher error on the specs folder's parent"),
    );
    await new Promise<void>((res) => this.outer!.once('ready', () => res()));
    await this.retarget();
  }

  /** Moves the inner watcher when the folder now resolves elsewhere; returns whether it moved. */
  async retarget(): Promise<boolean> {
    if (this.closed) return false;
    let now: string | undefined;
    try {
      now = await realpath(this.dir);
    } catch {
      now = undefined;
    }
    if (now === this.target && (this.inner || now === undefined)) return false;
    const previous = this.target;
    this.target = now;
    await this.inner?.close();
    this.inner = undefined;
    if (now) {
      const w = watch(now, {
        ignoreInitial: true,
        followSymlinks: true,
        ignored: (p: string, stats) => basename(p) === '.git' || (stats?.isFile() === true && !SPEC_FILE.test(p)),
      });
      w.on('all', (event, path) => {
        if (event === 'addDir' || event === 'unlinkDir' || SPEC_FILE.test(path)) this.schedule(path);
      });
      w.on('error', (err) => this.log.warn({ error: String(err) }, 'watcher error'));
      this.inner = w;
      await new Promise<void>((res) => w.once('ready', () => res()));
    }
    if (previous !== undefined) this.log.info({ from: previous, to: now ?? null }, 'specs folder moved (symlink swap)');
    return previous !== undefined;
  }

  private schedule(path?: string): void {
    if (this.closed) return;
    const o = this.opts;
    const now = Date.now();
    this.recent = this.recent.filter((t) => now - t < o.burstWindowMs);
    this.recent.push(now);
    const again = path !== undefined && now - (this.lastByPath.get(path) ?? -Infinity) < o.burstWindowMs;
    if (path !== undefined) this.lastByPath.set(path, now);
    if (this.lastByPath.size > 10_000) this.lastByPath.clear();
    // A burst: the same file written again (an editor or a script hammering one spec), or many
    // changes at once (a checkout). Either way, wait for it to end and reload once more.
    const burst = again || this.recent.length >= o.burstEvents;
    this.armQuiet(burst ? o.burstDebounceMs : o.debounceMs);
    this.cap ??= setTimeout(() => this.fire(), burst ? o.burstMaxWaitMs : o.maxWaitMs);
  }

  /**
   * Fires after `ms` of quiet. A timer that comes due much later than asked means the loop was
   * busy (a reload, GC, a loaded machine): changes that arrived meanwhile still sit in the kernel's
   * queue and chokidar's stat, unseen, and firing now would split one burst into two reloads. So
   * a late timer waits its whole quiet time once more (a 60 ms second look still split a burst at
   * a load average of 12-21 here); the cap timer still bounds the delay.
   */
  private armQuiet(ms: number): void {
    if (this.quiet) clearTimeout(this.quiet);
    const due = Date.now() + ms;
    this.quiet = setTimeout(() => {
      if (Date.now() - due > LATE_MS) this.armQuiet(Math.max(LATE_MS, ms));
      else this.fire();
    }, ms);
  }

  private fire(): void {
    if (this.quiet) clearTimeout(this.quiet);
    if (this.cap) clearTimeout(this.cap);
    this.quiet = undefined;
    this.cap = undefined;
    if (!this.closed) this.onChange();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.quiet) clearTimeout(this.quiet);
    if (this.cap) clearTimeout(this.cap);
    await Promise.all([this.inner?.close(), this.outer?.close()]);
  }
}
