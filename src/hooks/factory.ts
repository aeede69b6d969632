// Builds the hook runner the controller calls once per lifecycle transition.
import type { Logger } from 'pino';
import { ProcessHookRunner } from './runner.js';
import type { HookRunner } from './types.js';

export function createHookRunner(o: { log: Logger; baseEnv?: Record<string, string> }): HookRunner | undefined {
  return new ProcessHookRunner(o.log, o.baseEnv);
}
