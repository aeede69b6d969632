// agentctl logs: recent output of an agent (or of the agents a label selector picks), since a time,
// with the times lines were first seen, followed if asked.
import { ClockStore } from '../../logs/clock-store.js';
import { Registry } from '../../registry/store.js';
import type { LogCursor } from '../../runtime/log-cursor.js';
import type { Runtime } from '../../runtime/types.js';
import { parseFlagDuration } from '../../util/duration.js';
import { agentRuntimesOf } from '../agent-runtime.js';
import { agentSecrets } from '../agent-secrets.js';
import { scrubSecrets } from '../../spec/secrets.js';
import type { SpecSet } from '../../spec/load.js';
import { createContext, type GlobalOptions } from '../context.js';
import { ExitError } from '../exit.js';
import { startRead, timestamp } from '../logs-start.js';
import { requireSelection, selectAgents } from '../select-agents.js';
import { loadStatus } from '../status-load.js';
import { quietOnClosedPipe, sleep, untilInterrupted } from '../stdout.js';

/** How often -f looks for new output. */
const FOLLOW_POLL_MS = 1000;

export interface LogsOptions {
  /** null: all lines since --since (-n not given with it). */
  lines: number | null;
  follow: boolean;
  selector?: string | undefined;
  /** Prefix each line with `[name] ` (always when a selector picks the agents). */
  prefix: boolean;
  sinceMs: number | null;
  timestamps: boolean;
}

export function logsOptions(opts: Record<string, unknown>, linesGiven: boolean): LogsOptions {
  let sinceMs: number | null = null;
  if (typeof opts.since === 'string') {
    try {
      sinceMs = parseFlagDuration(opts.since);
    } catch (err) {
      throw new ExitError(2, `--since: ${(err as Error).message}`);
    }
  }
  return {
    lines: sinceMs !== null && !linesGiven ? null : Number(opts.lines ?? 50),
    follow: opts.follow === true,
    selector: typeof opts.selector === 'string' ? opts.selector : undefined,
    prefix: opts.prefix === true || typeof opts.selector === 'string',
    sinceMs,
    timestamps: opts.timestamps === true,
  };
}

type Printer = (agent: string, lines: readonly string[], times?: readonly (number | null)[]) => void;

export async function logs(
  g: GlobalOptions,
  name: string | undefined,
  opts: Record<string, unknown>,
  linesGiven = false,
): Promise<void> {
  const o = logsOptions(opts, linesGiven);
  const ctx = createContext(g);
  requireSelection({ names: name ? [name] : [], selector: o.selector }, 'logs', false);
  let names = name ? [name] : [];
  let specs: SpecSet | undefined;
  if (o.selector !== undefined) {
    const status = await loadStatus(ctx);
    specs = status.specs;
    const { records } = status;
    const sel = selectAgents(specs, records, { names, selector: o.selector });
    if (sel.unknown.length > 0) throw new ExitError(1, `unknown agent: ${sel.unknown.join(', ')}`);
    names = sel.names;
    if (names.length === 0) throw new ExitError(1, `no agent matches -l ${o.selector}`);
  }
  const found = await agentRuntimesOf(ctx, names);
  const runtimes = found.byName;
  try {
    // What the agent echoed of its secrets is masked, as CI systems mask known secrets.
    const secrets = await agentSecrets(ctx, names, specs);
    for (const [agent, why] of secrets.unreadable)
      process.stderr.write(`agentctl: ${agent}: its envFiles cannot be read (${why}): their values are not masked\n`);
    quietOnClosedPipe();
    const print: Printer = (agent, lines, times) => {
      if (lines.length === 0) return;
      const pre = o.prefix ? `[${agent}] ` : '';
      const hidden = secrets.byName.get(agent) ?? [];
      process.stdout.write(
        `${lines.map((l, i) => `${pre}${o.timestamps ? `${timestamp(times?.[i] ?? null)} ` : ''}${scrubSecrets(l, hidden)}`).join('\n')}\n`,
      );
    };
    if (!o.follow && o.sinceMs === null && !o.timestamps) {
      // The screen as it stands, the line being written included (as before -f existed).
      for (const [agent, { rt }] of runtimes) {
        try {
          print(
            agent,
            (await rt.logs(agent, o.lines ?? 50))
              .replace(/\n$/, '')
              .split('\n')
              .filter((l, _i, a) => !(a.length === 1 && l === '')),
          );
        } catch (err) {
          if (runtimes.size === 1) throw new ExitError(1, (err as Error).message);
          process.stderr.write(`agentctl: ${agent}: ${(err as Error).message}\n`);
        }
      }
      return;
    }
    await readAndFollow(ctx.stateDir, runtimes, o, print);
  } finally {
    // The ssh connections this command opened to reach remote agents.
    await found.close();
  }
}

async function readAndFollow(
  stateDir: string,
  runtimes: Map<string, { rt: Runtime }>,
  o: LogsOptions,
  print: Printer,
): Promise<void> {
  const signal = untilInterrupted();
  const clock = new ClockStore(stateDir);
  const registry = new Registry(stateDir);
  const cursors = new Map<string, LogCursor | null>([...runtimes.keys()].map((n) => [n, null]));
  const said = new Set<string>();
  const warn = (agent: string, text: string): void => void process.stderr.write(`agentctl: ${agent}: ${text}\n`);
  const readOnce = async (agent: string, rt: Runtime, first: boolean): Promise<void> => {
    if (!rt.follow) throw new ExitError(2, `the ${rt.name} runtime cannot follow output`);
    const follow = rt.follow.bind(rt);
    try {
      const cursor = cursors.get(agent) ?? null;
      let skipped: boolean;
      if (cursor === null) {
        // The first read (or the first once an agent that was not running is): last lines, or since.
        const r = await startRead({
          follow,
          name: agent,
          record: await registry.load(agent),
          samples: await clock.read(agent),
          lines: o.lines,
          sinceMs: o.sinceMs,
          now: Date.now(),
        });
        if (r.note) warn(agent, r.note);
        cursors.set(agent, r.cursor);
        print(agent, r.lines, r.times);
        skipped = r.skipped;
      } else {
        const r = await follow(agent, cursor, 0);
        cursors.set(agent, r.cursor);
        const seenAt = Date.now();
        print(
          agent,
          r.lines,
          r.lines.map(() => seenAt),
        );
        skipped = r.skipped === true;
      }
      said.delete(agent);
      if (skipped)
        warn(
          agent,
          'some output could not be read in order (history trimmed or cleared, or written faster than read) and was skipped',
        );
    } catch (err) {
      if (err instanceof ExitError) throw err;
      if (first && (runtimes.size === 1 || !o.follow)) {
        if (runtimes.size === 1) throw new ExitError(1, (err as Error).message);
        warn(agent, (err as Error).message);
        return;
      }
      // Restarting, or not started yet: its next incarnation's output follows.
      if (!said.has(agent)) warn(agent, `${(err as Error).message}; waiting`);
      said.add(agent);
    }
  };
  for (const [agent, { rt }] of runtimes) await readOnce(agent, rt, true);
  while (o.follow && !signal.aborted) {
    await sleep(FOLLOW_POLL_MS, signal);
    if (signal.aborted) break;
    for (const [agent, { rt }] of runtimes) await readOnce(agent, rt, false);
  }
}
