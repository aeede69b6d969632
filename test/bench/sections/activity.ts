// Section 5: Claude activity (issues 20 and 23). N claude-preset agents beside plain ones under one
// controller (with --http-addr): its idle cost once all are Idle, and how long a hook line takes to
// show as the agent's activity in the controller's /api/events stream (what `get` reads).
//
// The agents run the stand-in Claude Code (test/fixtures/fake-claude/claude), not the real one: 200
// real Claude Codes need a few GB of memory and a mocked Messages API each. The stand-in runs the
// hooks of agentctl's --settings layer as Claude Code does (SessionStart at the input screen,
// UserPromptSubmit then Stop around a turn, here FAKE_CLAUDE_TURN_MS long), so the path measured —
// hook script, events file, the controller's poll, its status — is agentctl's own.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ControllerProc } from '../controller-proc.js';
import type { BenchContext } from '../context.js';
import { FleetEvents, freePort } from '../fleet-events.js';
import { HookTail } from '../hook-tail.js';
import { ROOT } from '../paths.js';
import { clockTicksPerSecond, cpuTicks, memoryKb, waitIdle } from '../proc-stats.js';
import { printTable, progress } from '../report.js';
import { agentName, agentYaml, specPath, writeAtomic } from '../spec-files.js';
import { latencyRow, mb, ms, pct, percentile, round } from '../stats.js';
import { mark } from '../targets.js';
import { BenchTmux } from '../tmux-server.js';
import { workspace } from '../workspace.js';

const FAKE_CLAUDE = join(ROOT, 'test', 'fixtures', 'fake-claude', 'claude');
/** A turn longer than the controller's activity poll (1 s), so Working is there to be seen. */
const TURN_MS = 1500;

export interface ActivitySample {
  agent: string;
  /** UserPromptSubmit line written -> Working in the stream (NaN: Working never shown). */
  workingMs: number;
  /** Stop line written -> Idle in the stream. */
  idleMs: number;
  /** Keys typed -> Working in the stream (the stand-in's reaction and hook included). */
  typedMs: number;
  /** Hook line written -> the bench read it (inotify): how late the bench itself hears of a line. */
  tailLagMs: number;
}

function claudeYaml(name: string, workdir: string): string {
  const spec = {
    claude: { binary: FAKE_CLAUDE },
    workdir,
    env: { FAKE_CLAUDE_TURN_MS: String(TURN_MS) },
  };
  return `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: ${name}\nspec: ${JSON.stringify(spec)}\n`;
}

/** The events file of the agent's current incarnation, from its registry record. */
function eventsFile(state: string, name: string): string {
  const r = JSON.parse(readFileSync(join(state, 'registry', `${name}.json`), 'utf8')) as {
    claude?: { hooks?: { events?: string } };
  };
  const f = r.claude?.hooks?.events;
  if (!f) throw new Error(`${name}: no activity events file in its record`);
  return f;
}

export async function activity(ctx: BenchContext): Promise<void> {
  const { opts, cleanup, verdicts } = ctx;
  const n = opts.activityClaude;
  const total = n + opts.activityPlain;
  const tmux = new BenchTmux(cleanup);
  const ws = workspace(cleanup, 'activity');
  const names: string[] = [];
  for (let i = 1; i <= n; i++) {
    const name = agentName('c', i);
    const workdir = join(ws.dir, 'work', name);
    mkdirSync(workdir, { recursive: true });
    writeAtomic(specPath(ws.specs, name), claudeYaml(name, workdir));
    names.push(name);
  }
  for (let i = 1; i <= opts.activityPlain; i++)
    writeAtomic(specPath(ws.specs, agentName('p', i)), agentYaml(agentName('p', i)));
  const home = join(ws.dir, 'home');
  mkdirSync(home, { recursive: true });
  const port = await freePort();
  const env = { ...ws.env(tmux.socket), HOME: home };
  progress(`activity: controller over ${n} Claude agents (stand-in) and ${opts.activityPlain} plain ones`);
  const t0 = performance.now();
  const c = new ControllerProc(cleanup, env, ['--http-addr', `127.0.0.1:${port}`]);
  let fe = await FleetEvents.open(port, 120_000);
  try {
    const allIdle = (items: ReadonlyMap<string, { ready: boolean; claude?: { activity: string } | undefined }>) =>
      items.size === total &&
      [...items.values()].every((it) => it.ready && (it.claude === undefined || it.claude.activity === 'Idle'));
    const convergedAt = await fe.waitFor(allIdle, opts.quick ? 300_000 : 900_000, `all ${total} Ready and Idle`);
    const convergeMs = convergedAt - t0;
    fe.close();

    // Idle cost: nobody watching the stream, every Claude agent Idle.
    const settleMs = await waitIdle(c.pid);
    progress(`activity: all Ready and Idle after ${ms(convergeMs)}; idle window ${opts.activitySeconds} s`);
    const hz = await clockTicksPerSecond();
    const mark0 = c.mark();
    const before = cpuTicks(c.pid);
    const tmuxBefore = await tmux.serverCpuMs();
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, opts.activitySeconds * 1000));
    const seconds = (performance.now() - w0) / 1000;
    const used = (cpuTicks(c.pid) - before) / hz;
    const tmuxUsedMs = (await tmux.serverCpuMs()) - tmuxBefore;
    const mem = memoryKb(c.pid);
    const cpuPct = (used / seconds) * 100;
    const actions = c.linesSince(mark0).filter((r) => r.line.action !== undefined).length;

    // Latency: one turn at a time, round the Claude agents.
    fe = await FleetEvents.open(port, 30_000);
    progress(`activity: ${opts.activityTransitions} turns, one at a time`);
    const samples: ActivitySample[] = [];
    let missed = 0;
    for (let i = 0; i < opts.activityTransitions; i++) {
      cleanup.check();
      const name = names[i % names.length]!;
      const tail = new HookTail(eventsFile(ws.state, name));
      const from = fe.changes.length;
      const since = (): typeof fe.changes => fe.changes.slice(from).filter((ch) => ch.name === name);
      try {
        const typedAt = performance.now();
        const r = await tmux.run([
          'send-keys',
          '-t',
          `=${name}:`,
          '-l',
          `turn ${i}`,
          ';',
          'send-keys',
          '-t',
          `=${name}:`,
          'Enter',
        ]);
        if (r.exitCode !== 0) throw new Error(`send-keys to ${name}: ${r.stderr.trim()}`);
        const submit = await tail.wait('UserPromptSubmit', 15_000);
        const stop = await tail.wait('Stop', 15_000);
        await fe.waitFor(
          () => since().some((ch) => ch.activity === 'Idle' && ch.at >= stop.at),
          15_000,
          `${name} Idle`,
        );
        const working = since().find((ch) => ch.activity === 'Working');
        const idle = since().find((ch) => ch.activity === 'Idle' && ch.at >= stop.at)!;
        samples.push({
          agent: name,
          workingMs: working ? round(working.at - submit.at) : Number.NaN,
          idleMs: round(idle.at - stop.at),
          typedMs: working ? round(working.at - typedAt) : Number.NaN,
          tailLagMs: round(Math.max(submit.readAt - submit.at, stop.readAt - stop.at)),
        });
      } catch (err) {
        missed++;
        progress(`activity: turn ${i} on ${name}: ${(err as Error).message}`);
      } finally {
        tail.close();
      }
      // A random pause: the next hook line falls at a random point of the controller's poll.
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 500));
    }
    fe.close();

    const working = samples.map((s) => s.workingMs).filter(Number.isFinite);
    const idle = samples.map((s) => s.idleMs);
    const both = [...working, ...idle];
    const noWorking = samples.length - working.length;
    const p50 = percentile(both, 50);
    const p99 = percentile(both, 99);
    ctx.results.activity = {
      claudeAgents: n,
      plainAgents: opts.activityPlain,
      turnMs: TURN_MS,
      convergeMs: round(convergeMs),
      settleMs: round(settleMs),
      idle: {
        seconds: round(seconds),
        cpuSeconds: used,
        cpuPct: round(cpuPct, 3),
        rssKb: mem.rss,
        hwmKb: mem.hwm,
        tmuxServerCpuPct: round((tmuxUsedMs / 1000 / seconds) * 100, 3),
        actionsInWindow: actions,
      },
      samples,
      missed,
      noWorking,
      p50,
      p90: percentile(both, 90),
      p99,
    };
    printTable(
      `5a. Idle controller, ${n} Claude agents (activity followed) + ${opts.activityPlain} plain, ${round(seconds)} s window`,
      ['measure', 'value'],
      [
        ['CPU (utime+stime) / wall', pct(cpuPct)],
        ['CPU seconds in the window', used.toFixed(2)],
        ['RSS (VmRSS) / peak (VmHWM)', `${mb(mem.rss)} / ${mb(mem.hwm)}`],
        ['tmux server CPU / wall', pct((tmuxUsedMs / 1000 / seconds) * 100)],
        ['start to all Ready and Idle (/api/events)', ms(convergeMs)],
        ['actions logged in the window (should be 0)', String(actions)],
      ],
    );
    printTable(
      `5b. Activity change -> status, ${samples.length} turns over ${n} Claude agents`,
      ['transition', 'count', 'p50', 'p90', 'p99', 'min', 'max'],
      [
        latencyRow('both', both),
        latencyRow('UserPromptSubmit line -> Working', working),
        latencyRow('Stop line -> Idle', idle),
        latencyRow('keys typed -> Working', samples.map((s) => s.typedMs).filter(Number.isFinite)),
        latencyRow(
          '  (bench: hook line -> read by the bench)',
          samples.map((s) => s.tailLagMs),
        ),
      ],
      [
        `latency = the hook line's write (events file mtime) -> the agent's item with the new activity arriving on /api/events; turns of ${TURN_MS} ms, a random 0.2-0.7 s pause between them.`,
        `${missed} turn(s) failed, ${noWorking} turn(s) never showed Working.`,
      ],
    );
    const trows = [
      verdicts.check(
        'activity-idle-cpu',
        `idle CPU, ${total} agents of which ${n} Claude with activity`,
        '≤ 0.5 % of one core',
        pct(cpuPct),
        cpuPct <= 0.5,
      ),
      verdicts.check(
        'activity-p50',
        `activity change -> status p50, ${n} Claude agents`,
        '≤ 300 ms',
        ms(p50),
        p50 <= 300 && missed === 0,
      ),
      verdicts.check(
        'activity-p99',
        `activity change -> status p99, ${n} Claude agents`,
        '≤ 1 s',
        ms(p99),
        p99 <= 1000 && missed === 0,
      ),
    ].map((v) => [v.figure, v.target, v.measured, mark(v.pass)]);
    printTable('5. Activity targets', ['figure', 'target', 'measured', 'verdict'], trows);
  } finally {
    fe.close();
    await c.stop();
    await tmux.kill();
    await ws.remove();
  }
}
