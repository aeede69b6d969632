// The Slurm runtime's files in the state dir: exit files, retired-job marks, output file paths.
import { mkdir, readdir, readFile, rm, stat, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExitInfo } from '../types.js';
import { readExitFile } from '../exit-file.js';

/**
 * `<stateDir>/run/slurm/` holds, per agent: `<name>.<jobid>.exit` (written by the batch script,
 * so on a multi-node cluster the state dir must be on a filesystem the nodes share, otherwise
 * Slurm's own exit code is used), `<name>.<jobid>.retired` (a job we stopped: once ended it is no
 * longer reported) and `<name>.output` (the output file, when slurm.logsDir moves it).
 * Agent names hold no `.`, so the name is everything before the first one.
 */
export class JobFiles {
  readonly runDir: string;
  readonly defaultLogsDir: string;

  constructor(stateDir: string) {
    this.runDir = join(stateDir, 'run', 'slurm');
    this.defaultLogsDir = join(stateDir, 'logs', 'slurm');
  }

  exitFile(name: string, jobId: string): string {
    return join(this.runDir, `${name}.${jobId}.exit`);
  }

  async prepare(): Promise<void> {
    await mkdir(this.runDir, { recursive: true, mode: 0o700 });
  }

  /** The output folder must exist before the job starts: slurmd only creates the file. */
  async prepareLogsDir(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  }

  async readExit(name: string, jobId: string): Promise<ExitInfo | null> {
    return readExitFile(this.exitFile(name, jobId));
  }

  private async list(): Promise<string[]> {
    try {
      return await readdir(this.runDir);
    } catch {
      return [];
    }
  }

  /** A new incarnation starts: earlier exit files of these agents are of no use any more. */
  async clearExits(names: ReadonlySet<string>): Promise<void> {
    const files = await this.list();
    await Promise.all(
      files
        .filter((f) => f.endsWith('.exit') && names.has(f.slice(0, f.indexOf('.'))))
        .map((f) => rm(join(this.runDir, f), { force: true })),
    );
  }

  async retire(name: string, jobIds: Iterable<string>): Promise<void> {
    await mkdir(this.runDir, { recursive: true, mode: 0o700 });
    await Promise.all([...jobIds].map((id) => writeFile(join(this.runDir, `${name}.${id}.retired`), '', { mode: 0o600 })));
  }

  /** Job ids marked retired. Marks of jobs Slurm has forgotten (not in `listed`) are removed once
   * they are a minute old: a younger one may belong to a job submitted after `listed` was taken. */
  async retired(listed: ReadonlySet<string>, now = Date.now()): Promise<Set<string>> {
    const ids = new Set<string>();
    const unlisted: string[] = [];
    for (const f of await this.list()) {
      const m = /^[^.]+\.(\d+)\.retired$/.exec(f);
      if (!m) continue;
      ids.add(m[1]!);
      if (!listed.has(m[1]!)) unlisted.push(f);
    }
    await Promise.all(
      unlisted.map(async (f) => {
        const path = join(this.runDir, f);
        const s = await stat(path).catch(() => null);
        if (s && now - s.mtimeMs > 60_000) await rm(path, { force: true });
      }),
    );
    return ids;
  }

  /** Remembers where an agent's output goes when it is not the default place. */
  async rememberOutput(name: string, output: string): Promise<void> {
    const pointer = join(this.runDir, `${name}.output`);
    if (output === this.defaultOutput(name)) {
      await rm(pointer, { force: true });
      return;
    }
    const tmp = `${pointer}.tmp-${process.pid}`;
    await writeFile(tmp, output, { mode: 0o600 });
    await rename(tmp, pointer);
  }

  defaultOutput(name: string): string {
    return join(this.defaultLogsDir, `${name}.out`);
  }

  async outputOf(name: string): Promise<string> {
    try {
      const p = (await readFile(join(this.runDir, `${name}.output`), 'utf8')).trim();
      if (p) return p;
    } catch {
      /* default place */
    }
    return this.defaultOutput(name);
  }
}
