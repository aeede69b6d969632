// What one cold-converge variant reports: wall time from the first process to all N running.

export type VariantId = 'floor' | 'floor-agentctl-lines' | 'agentctl' | 'sequential' | 'pm2';

export interface ConvergeRun {
  variant: VariantId;
  n: number;
  wallMs: number;
  /** Processes the variant spawned itself (tmux clients, agentctl's own count, pm2 CLI calls). */
  subprocesses: number;
  /** Variant-specific extras, e.g. agentctl's own durationMs and observe calls. */
  extra: Record<string, number>;
}

export class NotConvergedError extends Error {
  constructor(variant: VariantId, n: number, got: number) {
    super(`${variant}: ${got}/${n} running at the end`);
    this.name = 'NotConvergedError';
  }
}
