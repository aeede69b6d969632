// agentctl get: status of every agent (or the named ones) as a table, wide table, JSON or YAML.
import { stringify } from 'yaml';
import { shortHash } from '../../spec/hash.js';
import { createContext, type GlobalOptions } from '../context.js';
import { loadStatus } from '../status-load.js';
import { ExitError } from '../exit.js';
import { statusItems, type StatusItem } from '../../../controllers/agent/status-items.js';
import { age, renderTable } from '../table.js';

function contractFields(i: StatusItem): Record<string, unknown> {
  return {
    name: i.name,
    runtime: i.runtime,
    desiredState: i.desiredState,
    phase: i.phase,
    ready: i.ready,
    restarts: i.restarts,
    specHash: i.specHash,
    source: i.source,
    handle: i.handle,
    conditions: i.conditions,
    message: i.message,
    upToDate: i.upToDate,
    lastExit: i.lastExit,
    startedAt: i.startedAt,
    host: i.host,
    details: i.details,
    ...(i.claude ? { claude: i.claude } : {}),
    listen: i.listen,
    extensions: i.extensions,
  };
}

/** MODEL, CONTEXT, ACTIVE (since the last transcript line), SESSION (its first 8 characters). */
function claudeColumns(i: StatusItem, now: number): string[] {
  const c = i.claude;
  if (!c) return ['-', '-', '-', '-'];
  return [c.model ?? '-', c.contextPercent !== null ? `${Math.round(c.contextPercent)}%` : '-', c.lastActivity ? age(Date.parse(c.lastActivity), now) : '-', c.sessionId?.slice(0, 8) ?? '-'];
}

export async function get(g: GlobalOptions, names: string[], opts: Record<string, unknown>): Promise<void> {
  const ctx = createContext(g);
  const { specs, records } = await loadStatus(ctx);
  let items = statusItems(specs, records, ctx.host);
  const unknown = names.filter((n) => !items.some((i) => i.name === n));
  if (names.length > 0) items = items.filter((i) => names.includes(i.name));
  const now = Date.now();
  switch (opts.output) {
    case 'json':
      process.stdout.write(`${JSON.stringify({ items: items.map(contractFields) }, null, 2)}\n`);
      break;
    case 'yaml':
      process.stdout.write(stringify({ items: items.map(contractFields) }));
      break;
    case 'wide':
      process.stdout.write(
        renderTable(
          ['NAME', 'RUNTIME', 'DESIRED', 'PHASE', 'READY', 'RESTARTS', 'AGE', 'LAST EXIT', 'HOST', 'NODE/JOB', 'MODEL', 'CONTEXT', 'ACTIVE', 'SESSION', 'HASH', 'MESSAGE'],
          items.map((i) => [
            i.name, i.runtime, i.desiredState, i.phase, i.ready ? 'True' : 'False', String(i.restarts),
            age(i.startedAt ? Date.parse(i.startedAt) : null, now), i.lastExit?.replace(/ at .*$/, '') ?? '-', i.host,
            i.details.jobId ? `${i.details.node ?? '-'}/${i.details.jobId} ${i.details.state ?? ''}`.trim() : '-',
            ...claudeColumns(i, now),
            `${shortHash(i.specHash)}${i.upToDate || !i.specHash ? '' : '*'}`, i.message.slice(0, 80),
          ]),
        ),
      );
      break;
    default:
      if (items.length === 0 && names.length === 0) process.stdout.write('No agents.\n');
      else if (items.length === 0) break;
      else
        process.stdout.write(
          renderTable(
            ['NAME', 'RUNTIME', 'DESIRED', 'PHASE', 'READY', 'RESTARTS', 'AGE'],
            items.map((i) => [i.name, i.runtime, i.desiredState, i.phase, i.ready ? 'True' : 'False', String(i.restarts), age(i.startedAt ? Date.parse(i.startedAt) : null, now)]),
          ),
        );
  }
  if (unknown.length > 0) throw new ExitError(1, `unknown agent(s): ${unknown.join(', ')}`);
}
