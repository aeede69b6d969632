// Section 4a/b: a folder of many specs (state Stopped: no sessions needed): validate time, the
// loader in-process, and the controller's memory once it has taken them all in.
import { homedir } from 'node:os';
import { loadSpecs } from '../../../src/spec/load.js';
import { runCli } from '../agentctl-cli.js';
import { ControllerProc } from '../controller-proc.js';
import type { BenchContext } from '../context.js';
import { memoryKb, waitIdle } from '../proc-stats.js';
import { printTable, progress } from '../report.js';
import { writeAgents } from '../spec-files.js';
import { max, mb, median, min, ms, round } from '../stats.js';
import { mark } from '../targets.js';
import { BenchTmux } from '../tmux-server.js';
import { workspace } from '../workspace.js';
import { startWallMs, type StartFigures } from './process-start.js';

export async function specScale(ctx: BenchContext): Promise<void> {
  const { opts, cleanup, verdicts } = ctx;
  const n = opts.scaleSpecs;
  const ws = workspace(cleanup, 'scale');
  const tmux = new BenchTmux(cleanup);
  try {
    progress(`spec scale: writing ${n} specs (state: Stopped)`);
    writeAgents(ws.specs, 's', n, { state: 'Stopped' });
    const env = ws.env(tmux.socket);
    const runs = 3;
    const validate: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await runCli(cleanup, ['validate'], env);
      if (r.exitCode !== 0) throw new Error(`validate exited ${r.exitCode}: ${r.stdout.slice(0, 300)}`);
      validate.push(r.wallMs);
    }
    const base = ctx.results.start as StartFigures | undefined;
    const inProcess: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const s = await loadSpecs({ specsDir: ws.specs, host: 'benchhost', home: homedir() });
      inProcess.push(performance.now() - t0);
      if (s.agents.size !== n) throw new Error(`loader found ${s.agents.size}/${n} agents`);
    }

    progress(`spec scale: controller with ${n} specs`);
    const t0 = performance.now();
    const c = new ControllerProc(cleanup, env);
    let mem: { rss: number; hwm: number };
    let runningMs: number;
    let settleMs: number;
    try {
      await c.waitFor((l) => l.msg === 'controller running', 180_000);
      runningMs = performance.now() - t0;
      settleMs = await waitIdle(c.pid, 2000, 5, 240_000);
      mem = memoryKb(c.pid);
    } finally {
      await c.stop();
    }
    const v = median(validate);
    ctx.results.scale = {
      specs: n,
      validateMs: validate.map((x) => round(x)),
      loaderInProcessMs: inProcess.map((x) => round(x)),
      controller: { rssKb: mem.rss, hwmKb: mem.hwm, startToRunningMs: round(runningMs), thenIdleMs: round(settleMs) },
    };
    printTable(
      `4a/b. Spec folder of ${n} files`,
      ['measure', 'median', 'min', 'max'],
      [
        ['agentctl validate: wall', ms(v), ms(min(validate)), ms(max(validate))],
        ['  of which process start (validate, empty folder; section 0)', base ? ms(startWallMs(base)) : '-', '', ''],
        ['loadSpecs in-process (first run is cold)', ms(median(inProcess)), ms(min(inProcess)), ms(max(inProcess))],
        ['controller: start to "controller running"', ms(runningMs), '', ''],
        ['controller: then until idle', ms(settleMs), '', ''],
        ['controller RSS (VmRSS) once idle / peak (VmHWM)', `${mb(mem.rss)} / ${mb(mem.hwm)}`, '', ''],
      ],
    );
    const trows = [
      verdicts.check('scale-validate', `${n} specs: agentctl validate`, '≤ 1 s', ms(v), v <= 1000),
      verdicts.check('scale-rss', `${n} specs: controller RSS, idle`, '≤ 150 MB', mb(mem.rss), mem.rss <= 150 * 1024),
    ].map((x) => [x.figure, x.target, x.measured, mark(x.pass)]);
    printTable('4a/b. Spec folder targets', ['figure', 'target', 'measured', 'verdict'], trows);
  } finally {
    await tmux.kill();
    await ws.remove();
  }
}
