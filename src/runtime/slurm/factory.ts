// Builds the Slurm runtime when this machine has Slurm's client tools (sbatch and squeue on PATH).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Logger } from 'pino';
import type { Exec } from '../../util/exec.js';
import type { Runtime } from '../types.js';
import { SlurmRuntime } from './slurm-runtime.js';

export interface SlurmFactoryOptions {
  stateDir: string;
  owner: string;
  exec: Exec;
  log: Logger;
}

/** True when `program` is an executable file in one of PATH's folders (no subprocess: this runs
 * for every command, most of which never touch Slurm). */
export function onPath(program: string, path = process.env.PATH ?? ''): boolean {
  return path
    .split(delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        accessSync(join(dir, program), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/** Undefined without Slurm's tools: specs with `runtime: slurm` then report that the runtime is
 * not available. Whether slurmctld answers is found out by the first observe. */
export function createSlurmRuntime(o: SlurmFactoryOptions): Runtime | undefined {
  if (!onPath('sbatch') || !onPath('squeue')) return undefined;
  return new SlurmRuntime({ stateDir: o.stateDir, owner: o.owner, exec: o.exec, log: o.log });
}
