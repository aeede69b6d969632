// Section 2: no-op `reconcile --once` over a converged fleet, against the bare process start cost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reconcileOnce, runCli } from '../agentctl-cli.js';
import type { BenchContext } from '../context.js';
import { printTable, progress } from '../report.js';
import { max, median, min, ms, round } from '../stats.js';
import { mark } from '../targets.js';
import type { Fleet } from '../variants/agentctl-once.js';

const ACTIONS = new Set(['create', 'recreate', 'restart', 'stop', 'prune']);

/** Median wall time of `agentctl validate` on an empty folder and of `agentctl --help`: what any
 * agentctl command costs before it does its own work. */
export async function startCost(ctx: BenchContext, runs: number): Promise<{ validateEmpty: number[]; help: number[] }> {
  const empty = mkdtempSync(join(tmpdir(), 'agentctl-bench-empty-'));
  const drop = ctx.cleanup.add(`folder ${empty}`, () => rmSync(empty, { recursive: true, force: true }));
  try {
    const validateEmpty: number[] = [];
    const help: number[] = [];
    const env = { AGENTCTL_SPECS: empty, AGENTCTL_STATE: join(empty, 'state'), AGENTCTL_LOG_FORMAT: 'json' };
    for (let i = 0; i < runs; i++) {
      const v = await runCli(ctx.cleanup, ['validate'], env);
      if (v.exitCode !== 0) throw new Error(`agentctl validate on an empty folder exited ${v.exitCode}: ${v.stdout}${v.stderr}`);
      validateEmpty.push(v.wallMs);
      help.push((await runCli(ctx.cleanup, ['--help'], env)).wallMs);
    }
    return { validateEmpty, help };
  } finally {
    await drop();
  }
}

export async function noopReconcile(ctx: BenchContext, fleet: Fleet): Promise<void> {
  const { opts, verdicts } = ctx;
  const n = fleet.names.length;
  progress(`no-op reconcile --once over ${n} converged agents, ${opts.noopRuns} runs`);
  const base = await startCost(ctx, opts.noopRuns);
  const wall: number[] = [];
  const own: number[] = [];
  const subprocesses: number[] = [];
  const observeCalls: number[] = [];
  let actions = 0;
  for (let i = 0; i < opts.noopRuns; i++) {
    const r = await reconcileOnce(ctx.cleanup, fleet.env);
    wall.push(r.wallMs);
    own.push(r.done.durationMs);
    subprocesses.push(r.done.subprocesses);
    observeCalls.push(r.done.observeCalls);
    actions += r.lines.filter((l) => l.action !== undefined && ACTIONS.has(l.action)).length;
  }
  const startMs = median(base.validateEmpty);
  const work = median(wall) - startMs;
  ctx.results.noop = {
    n,
    wallMs: wall.map((x) => round(x)),
    ownDurationMs: own,
    subprocesses,
    observeCalls,
    actionsTaken: actions,
    startCost: { validateEmptyMs: base.validateEmpty.map((x) => round(x)), helpMs: base.help.map((x) => round(x)) },
    reconcileWorkMs: round(work),
  };
  printTable(`2. No-op reconcile --once, N=${n} converged (${opts.noopRuns} runs)`, ['measure', 'median', 'min', 'max'], [
    ['reconcile --once --settle 0: wall', ms(median(wall)), ms(min(wall)), ms(max(wall))],
    ['  its own durationMs (after flag parsing)', ms(median(own)), ms(min(own)), ms(max(own))],
    ['process start: validate on an empty folder', ms(startMs), ms(min(base.validateEmpty)), ms(max(base.validateEmpty))],
    ['process start: --help', ms(median(base.help)), ms(min(base.help)), ms(max(base.help))],
    ['reconcile work = wall - start (validate, empty)', ms(work), '', ''],
    ['subprocesses spawned', String(median(subprocesses)), String(min(subprocesses)), String(max(subprocesses))],
    ['observe calls', String(median(observeCalls)), String(min(observeCalls)), String(max(observeCalls))],
    ['actions taken (should be 0)', String(actions), '', ''],
  ]);
  const trows = [
    verdicts.check('noop-subprocesses', `no-op N=${n}: subprocesses`, '≤ 2', String(max(subprocesses)), max(subprocesses) <= 2),
    verdicts.check('noop-work', `no-op N=${n}: reconcile work`, '≤ 150 ms', ms(work), work <= 150),
  ].map((v) => [v.figure, v.target, v.measured, mark(v.pass)]);
  printTable('2. No-op targets', ['figure', 'target', 'measured', 'verdict'], trows);
}
