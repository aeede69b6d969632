// Section 4c: CPU the controller uses while nothing changes, with a running fleet (default flags:
// the 30 s resync is part of what it costs).
import { ControllerProc } from '../controller-proc.js';
import type { BenchContext } from '../context.js';
import { clockTicksPerSecond, cpuTicks, memoryKb, waitIdle } from '../proc-stats.js';
import { printTable, progress } from '../report.js';
import { mb, ms, pct, round } from '../stats.js';
import { mark } from '../targets.js';
import type { Fleet } from '../variants/agentctl-once.js';

export async function idleCpu(ctx: BenchContext, fleet: Fleet): Promise<void> {
  const { opts, cleanup, verdicts } = ctx;
  const n = fleet.names.length;
  progress(`idle CPU: controller over ${n} running agents for ${opts.idleSeconds} s`);
  const t0 = performance.now();
  const c = new ControllerProc(cleanup, fleet.env);
  try {
    await c.waitFor((l) => l.msg === 'controller running', 60_000);
    const runningMs = performance.now() - t0;
    const settleMs = await waitIdle(c.pid);
    const hz = await clockTicksPerSecond();
    const mark0 = c.mark();
    const before = cpuTicks(c.pid);
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, opts.idleSeconds * 1000));
    const seconds = (performance.now() - w0) / 1000;
    const used = (cpuTicks(c.pid) - before) / hz;
    const mem = memoryKb(c.pid);
    const cpuPct = (used / seconds) * 100;
    const actions = c.linesSince(mark0).filter((r) => r.line.action !== undefined).length;
    const resyncs = c.linesSince(mark0).filter((r) => r.line.msg === 'resync').length;
    ctx.results.idle = {
      n,
      seconds: round(seconds),
      cpuSeconds: used,
      cpuPct: round(cpuPct, 3),
      rssKb: mem.rss,
      hwmKb: mem.hwm,
      startToRunningMs: round(runningMs),
      settleMs: round(settleMs),
      actionsInWindow: actions,
      resyncLinesInWindow: resyncs,
    };
    printTable(
      `4c. Idle controller, N=${n} running agents, ${round(seconds)} s window`,
      ['measure', 'value'],
      [
        ['CPU (utime+stime) / wall', pct(cpuPct)],
        ['CPU seconds in the window', used.toFixed(2)],
        ['RSS (VmRSS) / peak (VmHWM)', `${mb(mem.rss)} / ${mb(mem.hwm)}`],
        ['start to "controller running"', ms(runningMs)],
        ['then until idle (2 s under 5 % CPU)', ms(settleMs)],
        ['actions logged in the window (should be 0)', String(actions)],
      ],
    );
    const trows = [
      verdicts.check('idle-cpu', `idle CPU, ${n} agents`, '≤ 0.5 % of one core', pct(cpuPct), cpuPct <= 0.5),
      verdicts.check(
        'running-rss',
        `controller RSS, ${n} running agents`,
        '≤ 80 MB',
        mb(mem.rss),
        mem.rss <= 80 * 1024,
      ),
    ].map((v) => [v.figure, v.target, v.measured, mark(v.pass)]);
    printTable('4c. Idle controller targets', ['figure', 'target', 'measured', 'verdict'], trows);
  } finally {
    await c.stop();
  }
}
