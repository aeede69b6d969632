// Builds the hook runner the controller calls once per lifecycle transition.
import type { Logger } from 'pino';
import type { Exec } from '../util/exec.js';
import { ProcessHookRunner } from './runner.js';
import type { HookRunner } from './types.js';

export interface HookFactoryOptions {
  /** Not used by the runner: hooks need a process group of their own and output to a file,
   * which the shared Exec does not offer. Kept so callers need not change. */
  exec: Exec;
  log: Logger;
}

export function createHookRunner(o: HookFactoryOptions): HookRunner | undefined {
  return new ProcessHookRunner(o.log);
}
