// When a hook line lands in an agent's activity events file: watched with inotify (fs.watch), the
// moment taken from the file's mtime (the hook's own line stamps whole seconds only).
import { closeSync, openSync, readSync, statSync, watch, type FSWatcher } from 'node:fs';

export interface HookSeen {
  hook: string;
  /** performance.now() of the write: the file's mtime, moved onto the monotonic clock. */
  at: number;
  /** performance.now() when the bench read the line (inotify wake-up included). */
  readAt: number;
}

const HOOK_NAME = /"hook_event_name"\s*:\s*"(\w+)"/;

export class HookTail {
  readonly seen: HookSeen[] = [];
  private offset: number;
  private partial = '';
  private readonly watcher: FSWatcher;
  private readonly waiters = new Set<() => void>();

  /** Follows `path` from its current end. */
  constructor(private readonly path: string) {
    this.offset = statSync(path).size;
    this.watcher = watch(path, () => this.read());
  }

  private read(): void {
    const readAt = performance.now();
    const st = statSync(this.path);
    if (st.size <= this.offset) return;
    const at = st.mtimeMs - Date.now() + performance.now();
    const buf = Buffer.alloc(st.size - this.offset);
    const fd = openSync(this.path, 'r');
    try {
      readSync(fd, buf, 0, buf.length, this.offset);
    } finally {
      closeSync(fd);
    }
    this.offset = st.size;
    const lines = (this.partial + buf.toString('utf8')).split('\n');
    this.partial = lines.pop()!;
    for (const l of lines) {
      const hook = HOOK_NAME.exec(l)?.[1];
      if (l.startsWith('h ') && hook) this.seen.push({ hook, at, readAt });
    }
    for (const w of this.waiters) w();
  }

  /** The first `hook` line written since the tail began. */
  wait(hook: string, timeoutMs: number): Promise<HookSeen> {
    const find = (): HookSeen | undefined => this.seen.find((s) => s.hook === hook);
    const got = find();
    if (got) return Promise.resolve(got);
    return new Promise((resolve, reject) => {
      const w = (): void => {
        const s = find();
        if (!s) return;
        this.waiters.delete(w);
        clearTimeout(t);
        resolve(s);
      };
      const t = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`no ${hook} hook line in ${this.path} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(w);
    });
  }

  close(): void {
    this.watcher.close();
  }
}
