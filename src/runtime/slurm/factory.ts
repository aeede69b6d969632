// Builds the Slurm runtime when this machine has Slurm's client tools (sbatch and squeue on PATH).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

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

/** Slurm is usable locally when its tools are on PATH. Whether slurmctld answers is found out by
 * the first observe; without the tools, specs with `runtime: slurm` report that it is missing. */
export const localSlurmAvailable = (): boolean => onPath('sbatch') && onPath('squeue');
