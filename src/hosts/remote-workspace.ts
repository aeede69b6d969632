// Workdirs and workspace files on a remote host: the prepares of agents starting together go out as one ssh call.
import type { Executor } from '../exec/executor.js';
import { PrepareError } from '../workspace/errors.js';
import { parseWorkspace, workspaceBatch, type WorkspaceItem } from './workspace-script.js';

interface Waiting extends WorkspaceItem {
  resolve: () => void;
  reject: (err: Error) => void;
}

export class RemoteWorkspace {
  private pending: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly exec: Executor,
    private readonly quietMs = 3,
    private readonly timeoutMs = 60_000,
  ) {}

  /** Creates the workdir and writes the files into it (atomically, never outside it). */
  prepare(workdir: string, files: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ workdir, files, resolve, reject });
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.flush(), this.quietMs);
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.timer = undefined;
    const { argv, input } = workspaceBatch(batch);
    try {
      const r = await this.exec.run('/bin/sh', argv, { input, timeoutMs: this.timeoutMs });
      const outcomes = parseWorkspace(r.stdout, batch.length);
      batch.forEach((w, i) => {
        const msg = outcomes[i];
        if (msg === undefined) w.resolve();
        else
          w.reject(
            new PrepareError(
              r.exitCode !== 0 && msg === 'no answer from the host'
                ? `workdir ${w.workdir} on ${this.exec.target}: ${r.stderr.trim() || `exit code ${r.exitCode}`}`
                : `${msg} (on ${this.exec.target})`,
            ),
          );
      });
    } catch (err) {
      for (const w of batch) w.reject(err as Error);
    }
  }
}
