// agentctl restart / suspend / resume (not yet implemented: issue 3).
import { ExitError } from '../exit.js';
import type { GlobalOptions } from '../context.js';

export async function request(_g: GlobalOptions, _type: string, _names: string[], _opts: Record<string, unknown>): Promise<void> {
  throw new ExitError(2, 'not implemented yet');
}
