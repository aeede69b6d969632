// The Slurm runtime's files: exit files, retired-job marks, output file pointers.
import type { HostFiles } from '../../exec/executor.js';
import { ExitFiles } from '../exit-files.js';
import type { ExitInfo } from '../types.js';

/**
 * `<runDir>/` holds, per agent: `<name>.<jobid>.exit` (written by the batch script, so on a
 * multi-node cluster the state dir must be on a filesystem the nodes share, otherwise Slurm's own
 * exit code is used), `<name>.<jobid>.retired` (a job we stopped: once ended it is no longer
 * reported) and `<name>.output` (the output file, when slurm.logsDir moves it).
 */
export class JobFiles {
  readonly exits: ExitFiles;

  constructor(
    private readonly files: HostFiles,
    readonly runDir: string,
    readonly defaultLogsDir: string,
  ) {
    this.exits = new ExitFiles(files, runDir);
  }

  exitFile(name: string, jobId: string): string {
    return this.exits.path(name, jobId);
  }

  prepare(): Promise<void> {
    return this.exits.prepare();
  }

  /** The output folder must exist before the job starts: slurmd only creates the file. */
  prepareLogsDir(dir: string): Promise<void> {
    return this.files.mkdir(dir, 0o700);
  }

  readExit(name: string, jobId: string): Promise<ExitInfo | null> {
    return this.exits.read(name, jobId);
  }

  clearExits(names: ReadonlySet<string>): Promise<void> {
    return this.exits.clear(names);
  }

  async retire(name: string, jobIds: Iterable<string>): Promise<void> {
    const paths = [...jobIds].map((id) => ({ path: `${this.runDir}/${name}.${id}.retired`, content: '', mode: 0o600 }));
    if (paths.length === 0) return;
    await this.files.mkdir(this.runDir, 0o700);
    await this.files.write(paths);
  }

  /** Job ids marked retired. Marks of jobs Slurm has forgotten (not in `listed`) are removed once
   * they are a minute old: a younger one may belong to a job submitted after `listed` was taken. */
  async retired(listed: ReadonlySet<string>, now = Date.now()): Promise<Set<string>> {
    const ids = new Set<string>();
    const unlisted: string[] = [];
    for (const f of await this.exits.list()) {
      const m = /^[^.]+\.(\d+)\.retired$/.exec(f);
      if (!m) continue;
      ids.add(m[1]!);
      if (!listed.has(m[1]!)) unlisted.push(`${this.runDir}/${f}`);
    }
    if (unlisted.length > 0) {
      const seen = await this.files.read(unlisted);
      const old = [...seen].filter(([, c]) => now - c.mtimeMs > 60_000).map(([p]) => p);
      if (old.length > 0) await this.files.remove(old);
    }
    return ids;
  }

  defaultOutput(name: string): string {
    return `${this.defaultLogsDir}/${name}.out`;
  }

  /** Remembers where an agent's output goes when it is not the default place. */
  async rememberOutput(name: string, output: string): Promise<void> {
    const pointer = `${this.runDir}/${name}.output`;
    if (output === this.defaultOutput(name)) await this.files.remove([pointer]);
    else await this.files.write([{ path: pointer, content: output, mode: 0o600 }]);
  }

  async outputOf(name: string): Promise<string> {
    const pointer = `${this.runDir}/${name}.output`;
    const p = (await this.files.read([pointer])).get(pointer)?.text.trim();
    return p || this.defaultOutput(name);
  }
}
