// agentctl logs: recent output of an agent (or of the agents a label selector picks), followed if asked.
import type { LogCursor } from '../../runtime/log-cursor.js';
import type { Runtime } from '../../runtime/types.js';
import { agentRuntimesOf } from '../agent-runtime.js';
import { createContext, type GlobalOptions } from '../context.js';
import { ExitError } from '../exit.js';
import { requireSelection, selectAgents } from '../select-agents.js';
import { loadStatus } from '../status-load.js';
import { quietOnClosedPipe, sleep, untilInterrupted } from '../stdout.js';

/** How often -f looks for new output. */
const FOLLOW_POLL_MS = 1000;

export interface LogsOptions {
  lines: number;
  follow: boolean;
  selector?: string | undefined;
  /** Prefix each line with `[name] ` (always when a selector picks the agents). */
  prefix: boolean;
}

export function logsOptions(opts: Record<string, unknown>): LogsOptions {
  return {
    lines: Number(opts.lines ?? 50),
    follow: opts.follow === true,
    selector: typeof opts.selector === 'string' ? opts.selector : undefined,
    prefix: opts.prefix === true || typeof opts.selector === 'string',
  };
}

export async function logs(g: GlobalOptions, name: string | undefined, opts: Record<string, unknown>): Promise<void> {
  const o = logsOptions(opts);
  const ctx = createContext(g);
  requireSelection({ names: name ? [name] : [], selector: o.selector }, 'logs', false);
  let names = name ? [name] : [];
  if (o.selector !== undefined) {
    const { specs, records } = await loadStatus(ctx);
    const sel = selectAgents(specs, records, { names, selector: o.selector });
    if (sel.unknown.length > 0) throw new ExitError(1, `unknown agent: ${sel.unknown.join(', ')}`);
    names = sel.names;
    if (names.length === 0) throw new ExitError(1, `no agent matches -l ${o.selector}`);
  }
  const runtimes = await agentRuntimesOf(ctx, names);
  quietOnClosedPipe();
  const print = (agent: string, lines: readonly string[]): void => {
    if (lines.length === 0) return;
    const pre = o.prefix ? `[${agent}] ` : '';
    process.stdout.write(`${lines.map((l) => pre + l).join('\n')}\n`);
  };
  if (!o.follow) {
    for (const [agent, { rt }] of runtimes) {
      try {
        print(agent, (await rt.logs(agent, o.lines)).replace(/\n$/, '').split('\n').filter((l, i, a) => !(a.length === 1 && l === '')));
      } catch (err) {
        if (runtimes.size === 1) throw new ExitError(1, (err as Error).message);
        process.stderr.write(`agentctl: ${agent}: ${(err as Error).message}\n`);
      }
    }
    return;
  }
  await follow(runtimes, o, print);
}

async function follow(runtimes: Map<string, { rt: Runtime }>, o: LogsOptions, print: (agent: string, lines: readonly string[]) => void): Promise<void> {
  const signal = untilInterrupted();
  const cursors = new Map<string, LogCursor | null>([...runtimes.keys()].map((n) => [n, null]));
  const said = new Set<string>();
  const readOnce = async (agent: string, rt: Runtime, first: boolean): Promise<void> => {
    if (!rt.follow) throw new ExitError(2, `the ${rt.name} runtime cannot follow output`);
    try {
      // An agent not running at the start shows its last lines once it is.
      const r = await rt.follow(agent, cursors.get(agent) ?? null, o.lines);
      cursors.set(agent, r.cursor);
      said.delete(agent);
      print(agent, r.lines);
      if (r.skipped) process.stderr.write(`agentctl: ${agent}: some output could not be read in order (history trimmed or cleared, or written faster than read) and was skipped\n`);
    } catch (err) {
      if (err instanceof ExitError) throw err;
      if (first && runtimes.size === 1) throw new ExitError(1, (err as Error).message);
      // Restarting, or not started yet: its next incarnation's output follows.
      if (!said.has(agent)) process.stderr.write(`agentctl: ${agent}: ${(err as Error).message}; waiting\n`);
      said.add(agent);
    }
  };
  for (const [agent, { rt }] of runtimes) await readOnce(agent, rt, true);
  while (!signal.aborted) {
    await sleep(FOLLOW_POLL_MS, signal);
    if (signal.aborted) break;
    for (const [agent, { rt }] of runtimes) await readOnce(agent, rt, false);
  }
}
