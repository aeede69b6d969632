// Reads what status commands show: the specs folder and the registry, nothing observed.
import { join } from 'node:path';
import { loadSpecs, type SpecSet } from '../spec/load.js';
import { ParseCache } from '../spec/parse-cache.js';
import { Registry } from '../registry/store.js';
import type { AgentRecord } from '../registry/record.js';
import type { Context } from './context.js';

export async function loadStatus(ctx: Context): Promise<{ specs: SpecSet; records: Map<string, AgentRecord> }> {
  const registry = new Registry(ctx.stateDir);
  const cache = new ParseCache(join(ctx.stateDir, 'cache', 'parsed-specs.json'));
  const [loaded] = await Promise.all([registry.loadAll(), cache.loadDisk()]);
  const specs = await loadSpecs({ specsDir: ctx.specsDir, host: ctx.host, home: ctx.home, cache });
  return { specs, records: loaded.records };
}
