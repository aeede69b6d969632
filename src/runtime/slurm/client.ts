// Slurm's client tools (sbatch, squeue, scancel, scontrol), reached through an executor.
import type { ExecOptions, ExecResult, Executor } from '../../exec/executor.js';
import { runTool } from '../run-tool.js';
import { RuntimeError } from '../types.js';
import { parseSqueue, SQUEUE_ARGS, type JobRow } from './parse.js';

const HINT = "install Slurm's client tools (e.g. apt-get install slurm-client)";

export class SlurmClient {
  constructor(readonly exec: Executor) {}

  /** A missing program or a timeout is a RuntimeError; any other outcome is returned. */
  run(file: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    return runTool(this.exec, 'slurm', file, args, HINT, options);
  }

  /** Every job of this user, finished ones included: one squeue call. */
  async listJobs(): Promise<JobRow[]> {
    const r = await this.run('squeue', SQUEUE_ARGS);
    if (r.exitCode !== 0) {
      throw new RuntimeError(`squeue failed: ${r.stderr.trim().split('\n').pop() ?? ''}`, {
        runtime: 'slurm',
        command: 'squeue',
        exitCode: r.exitCode,
        stderr: r.stderr,
      });
    }
    return parseSqueue(r.stdout);
  }
}
