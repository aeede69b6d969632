// Builds the hook runner (not yet implemented: issue 6).
import type { Logger } from 'pino';
import type { Exec } from '../util/exec.js';
import type { HookRunner } from './types.js';

export interface HookFactoryOptions {
  exec: Exec;
  log: Logger;
}

export function createHookRunner(_o: HookFactoryOptions): HookRunner | undefined {
  return undefined;
}
