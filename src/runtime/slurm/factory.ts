// Builds the Slurm runtime when this machine has Slurm's client tools (not yet implemented: issue 5).
import type { Logger } from 'pino';
import type { Exec } from '../../util/exec.js';
import type { Runtime } from '../types.js';

export interface SlurmFactoryOptions {
  stateDir: string;
  owner: string;
  exec: Exec;
  log: Logger;
}

export function createSlurmRuntime(_o: SlurmFactoryOptions): Runtime | undefined {
  return undefined;
}
