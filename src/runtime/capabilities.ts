// What a runtime can do, asked instead of comparing runtime names.
import type { AgentSpec } from '../spec/schema.js';
import { effectiveSlurm } from './slurm/script.js';

export interface RuntimeCapabilities {
  /** A started agent runs at once (a tmux session); false where it is only queued (a Slurm job). */
  readonly startsRunning: boolean;
  /** Whether an agent of this spec has a terminal to read and type into. */
  hasTerminal(spec: AgentSpec): boolean;
}

/** tmux: every session is a terminal and runs as soon as it is created. */
export const tmuxCapabilities: RuntimeCapabilities = {
  startsRunning: true,
  hasTerminal: () => true,
};

/** Slurm: a job is queued first; it has a terminal only when interactive or inside an allocation. */
export const slurmCapabilities: RuntimeCapabilities = {
  startsRunning: false,
  hasTerminal: (spec) => {
    const slurm = effectiveSlurm(spec);
    return slurm?.interactive === true || slurm?.allocation !== undefined;
  },
};
