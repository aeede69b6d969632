// The long-running controller (not yet implemented: issue 3).
import type { Context } from '../cli/context.js';
import type { World } from './world.js';

export interface ServeOptions {
  concurrency: number;
  resyncMs: number;
  metricsAddr?: string;
}

export async function serve(_c: Context, _w: World, _o: ServeOptions): Promise<number> {
  process.stderr.write('agentctl: the controller is not implemented yet\n');
  return 2;
}
