// `npm run bench`: agentctl's performance against the tmux floor, sequential starts and PM2
// (issues 7, 16, 20 and 23). Prints a table per section and writes every figure to
// .bench/results-<time>.json, with the growth chart beside it (results-<time>.svg).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Cleanup } from './cleanup.js';
import type { BenchContext } from './context.js';
import { ControllerProc } from './controller-proc.js';
import { reexecWithHighLimit, softNoFile } from './fd-limit.js';
import { describeMachine, machineLine } from './machine.js';
import { parseOptions, type SectionId } from './options.js';
import { BENCH_DIR } from './paths.js';
import { waitIdle } from './proc-stats.js';
import { printTable, progress } from './report.js';
import { growthSvg, type GrowthRow } from './growth.js';
import { raisePtyLimit } from './pty-limit.js';
import { activity } from './sections/activity.js';
import { churn } from './sections/churn.js';
import { coldConverge } from './sections/cold-converge.js';
import { idleCpu } from './sections/idle-cpu.js';
import { noopReconcile } from './sections/noop-reconcile.js';
import { processStart } from './sections/process-start.js';
import { specScale } from './sections/spec-scale.js';
import { remoteHosts } from './sections/remote-hosts.js';
import { watchLatency } from './sections/watch-latency.js';
import { mark, Verdicts } from './targets.js';
import { convergeFleet } from './variants/agentctl-once.js';
import { ms } from './stats.js';

/** A session needs a few files in the tmux server (5000 sessions: ~15,000), PM2 a few per app. */
const MIN_NOFILE = 16384;

async function main(): Promise<number> {
  const reexec = await reexecWithHighLimit(MIN_NOFILE);
  if (reexec !== null) return reexec;
  const opts = parseOptions(process.argv.slice(2));
  const cleanup = new Cleanup();
  let interrupted = false;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    progress(`${sig}: cleaning up (again to exit at once)`);
    cleanup.verbose = true;
    void cleanup.runAll().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const started = new Date();
  const machine = await describeMachine();
  const ctx: BenchContext = { opts, cleanup, verdicts: new Verdicts(), results: {} };
  const errors: { section: string; error: string }[] = [];
  const ptyNote = raisePtyLimit(cleanup, Math.max(...opts.convergeSizes, opts.fleetSize, opts.watchFleet) * 2);
  process.stdout.write(
    `# agentctl bench${opts.quick ? ' (--quick: smaller sizes, targets are for the full run)' : ''}\n\n${machineLine(machine)}; open files limit ${softNoFile()}; ${ptyNote}\n`,
  );
  const t0 = performance.now();

  const section = async (ids: SectionId[], fn: () => Promise<void>): Promise<void> => {
    if (!ids.some((id) => opts.sections.has(id)) || cleanup.closed) return;
    try {
      await fn();
    } catch (err) {
      if (interrupted) return;
      errors.push({ section: ids.join('+'), error: (err as Error).message });
      process.stdout.write(`\n## ${ids.join(' + ')}: FAILED\n  ${(err as Error).message}\n`);
    }
  };

  try {
    await section(['start'], async () => void (await processStart(ctx)));
    await section(['converge'], () => coldConverge(ctx));
    await section(['noop', 'idle'], async () => {
      progress(`fleet for no-op and idle: ${opts.fleetSize} agents`);
      const { run, fleet } = await convergeFleet(cleanup, opts.fleetSize);
      ctx.results.fleetSetup = run;
      try {
        if (opts.sections.has('noop')) await noopReconcile(ctx, fleet);
        if (opts.sections.has('idle')) await idleCpu(ctx, fleet);
      } finally {
        await fleet.teardown();
      }
    });
    await section(['watch', 'churn'], async () => {
      progress(`fleet for watch and churn: ${opts.watchFleet} agents`);
      const { run, fleet } = await convergeFleet(cleanup, opts.watchFleet, 'w');
      ctx.results.watchSetup = run;
      const c = new ControllerProc(cleanup, fleet.env);
      try {
        await c.waitFor((l) => l.msg === 'controller running', 60_000);
        await waitIdle(c.pid);
        if (opts.sections.has('watch')) await watchLatency(ctx, fleet, c);
        if (opts.sections.has('churn')) await churn(ctx, fleet, c);
      } finally {
        await c.stop();
        await fleet.teardown();
      }
    });
    await section(['scale'], () => specScale(ctx));
    await section(['hosts'], () => remoteHosts(ctx));
    await section(['activity'], () => activity(ctx));
  } finally {
    await cleanup.runAll();
  }

  const totalMs = performance.now() - t0;
  const v = ctx.verdicts.all;
  printTable(
    'Targets',
    ['figure', 'target', 'measured', 'verdict'],
    v.map((x) => [x.figure, x.target, x.measured, mark(x.pass)]),
    [
      `${v.filter((x) => x.pass).length} pass, ${v.filter((x) => !x.pass).length} miss${errors.length ? `, ${errors.length} section(s) failed` : ''}; whole run ${ms(totalMs)}.`,
    ],
  );
  mkdirSync(BENCH_DIR, { recursive: true });
  const out = opts.out
    ? resolve(opts.out)
    : join(BENCH_DIR, `results-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const { sections, ...rest } = opts;
  writeFileSync(
    out,
    `${JSON.stringify({ startedAt: started.toISOString(), totalMs: Math.round(totalMs), options: { ...rest, sections: [...sections] }, machine, results: ctx.results, verdicts: v, errors }, null, 2)}\n`,
  );
  process.stdout.write(`\nresults: ${out}\n`);
  const growth = ctx.results.growth as GrowthRow[] | undefined;
  if (growth && growth.length > 1) {
    const svg = out.replace(/\.json$/, '') + '.svg';
    writeFileSync(
      svg,
      growthSvg(
        growth,
        `agentctl cold converge and no-op: ms per agent by N (${machine.nproc} CPUs, ${started.toISOString().slice(0, 10)})`,
      ),
    );
    process.stdout.write(`growth chart: ${svg}\n`);
  }
  return errors.length > 0 ? 1 : 0;
}

process.exitCode = await main();
