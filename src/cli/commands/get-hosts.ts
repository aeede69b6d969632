// agentctl get hosts: every Host of the specs with what the controller last saw of it (kubectl get nodes).
import { stringify } from 'yaml';
import { hostItems, phaseSummary } from '../../../controllers/agent/hosts/host-items.js';
import { readHostStatuses } from '../../hosts/host-status-file.js';
import { createContext, type GlobalOptions } from '../context.js';
import { ExitError } from '../exit.js';
import { loadStatus } from '../status-load.js';
import { age, renderTable } from '../table.js';

export async function getHosts(g: GlobalOptions, names: string[], opts: Record<string, unknown>): Promise<void> {
  const ctx = createContext(g);
  const [{ specs, records }, statuses] = await Promise.all([loadStatus(ctx), readHostStatuses(ctx.stateDir)]);
  let items = hostItems(specs, statuses, records);
  const unknown = names.filter((n) => !items.some((i) => i.name === n));
  if (names.length > 0) items = items.filter((i) => names.includes(i.name));
  const now = Date.now();
  const ms = (v: number | null): string => (v === null ? '-' : `${v}ms`);
  switch (opts.output) {
    case 'json':
      process.stdout.write(`${JSON.stringify({ items }, null, 2)}\n`);
      break;
    case 'yaml':
      process.stdout.write(stringify({ items }));
      break;
    case 'wide':
      process.stdout.write(
        renderTable(
          [
            'NAME',
            'ADDRESS',
            'JUMP',
            'REACHABLE',
            'LATENCY',
            'TMUX',
            'SOCKET',
            'SLURM',
            'AGENTS',
            'CHECKED',
            'MESSAGE',
          ],
          items.map((i) => [
            i.name,
            i.address ?? '-',
            i.jump.join(',') || '-',
            i.reachable,
            ms(i.latencyMs),
            i.tmuxVersion ?? '-',
            i.tmuxSocket ?? '-',
            i.slurm ? 'yes' : 'no',
            phaseSummary(i.agents),
            age(i.checkedAt, now),
            i.message || '-',
          ]),
        ),
      );
      break;
    default:
      if (items.length === 0 && names.length === 0) process.stdout.write('No hosts.\n');
      else if (items.length > 0)
        process.stdout.write(
          renderTable(
            ['NAME', 'REACHABLE', 'LATENCY', 'TMUX', 'AGENTS', 'MESSAGE'],
            items.map((i) => [
              i.name,
              i.reachable,
              ms(i.latencyMs),
              i.tmuxVersion ?? '-',
              phaseSummary(i.agents),
              i.message.slice(0, 100) || '-',
            ]),
          ),
        );
  }
  if (unknown.length > 0) throw new ExitError(1, `unknown host(s): ${unknown.join(', ')}`);
}
