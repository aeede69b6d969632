// Exit files, shared by the runtimes: `<name>.<handle>.exit` in a run folder, written by the agent's wrapper.
import type { HostFiles } from '../exec/executor.js';
import { parseExitFile } from './exit-status.js';
import type { ExitInfo } from './types.js';

/** Agent names hold no `.`, so a file's agent is everything before its first one. */
export const agentOfFile = (file: string): string => file.slice(0, file.indexOf('.'));

export class ExitFiles {
  constructor(
    private readonly files: HostFiles,
    readonly dir: string,
  ) {}

  path(name: string, handle: string): string {
    return `${this.dir}/${name}.${handle}.exit`;
  }

  async prepare(): Promise<void> {
    await this.files.mkdir(this.dir, 0o700);
  }

  /** Every file name in the run folder (one listing serves a whole observation). */
  list(): Promise<string[]> {
    return this.files.list(this.dir);
  }

  /** The recorded exits of these incarnations (its time is the file's mtime); missing ones are left out. */
  async readMany(items: readonly { name: string; handle: string }[]): Promise<Map<string, ExitInfo>> {
    const paths = items.map((i) => this.path(i.name, i.handle));
    const got = await this.files.read(paths);
    const out = new Map<string, ExitInfo>();
    items.forEach((i, k) => {
      const c = got.get(paths[k]!);
      const e = c ? parseExitFile(c.text, c.mtimeMs) : null;
      if (e) out.set(i.name, e);
    });
    return out;
  }

  async read(name: string, handle: string): Promise<ExitInfo | null> {
    return (await this.readMany([{ name, handle }])).get(name) ?? null;
  }

  /** A new incarnation starts: earlier exit files of these agents are of no use any more. */
  async clear(names: ReadonlySet<string>, listing?: readonly string[]): Promise<void> {
    const files = listing ?? (await this.list());
    const stale = files.filter((f) => f.endsWith('.exit') && names.has(agentOfFile(f)));
    if (stale.length > 0) await this.files.remove(stale.map((f) => `${this.dir}/${f}`));
  }
}
