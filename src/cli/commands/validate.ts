// agentctl validate: parse and check every spec; exit 0 when all are valid, 1 otherwise.
import { hostname, homedir } from 'node:os';
import { formatSpecError } from '../../spec/errors.js';
import { loadSpecs } from '../../spec/load.js';
import { ExitError } from '../exit.js';
import type { GlobalOptions } from '../context.js';

export async function validate(g: GlobalOptions, opts: Record<string, unknown>): Promise<void> {
  const specs = await loadSpecs({ specsDir: g.specs, host: g.host || hostname(), home: process.env.HOME || homedir() });
  const count = specs.agents.size + specs.elsewhere.size;
  if (opts.output === 'json') {
    process.stdout.write(
      `${JSON.stringify({ valid: specs.errors.length === 0 && specs.exists, agents: count, files: specs.fileCount, errors: specs.errors }, null, 2)}\n`,
    );
  } else {
    for (const e of specs.errors) process.stdout.write(`${formatSpecError(e)}\n`);
    if (!specs.exists) process.stdout.write(`${g.specs}: specs folder not found\n`);
    else if (specs.errors.length === 0)
      process.stdout.write(`${count} agent(s) in ${specs.fileCount} file(s): valid\n`);
    else process.stdout.write(`${specs.errors.length} error(s) in ${specs.invalidFiles.size} file(s)\n`);
  }
  if (specs.errors.length > 0 || !specs.exists) throw new ExitError(1);
}
