// Section 2: no-op `reconcile --once` over a converged fleet, against the bare process start cost.
import { reconcileOnce } from '../agentctl-cli.js';
import type { BenchContext } from '../context.js';
import { printTable, progress } from '../report.js';
import { max, median, min, ms, round } from '../stats.js';
import { mark } from '../targets.js';
import type { Fleet } from '../variants/agentctl-once.js';
import { measureStart, startWallMs, type StartFigures } from './process-start.js';

const ACTIONS = new Set(['create', 'recreate', 'restart', 'stop', 'prune']);

export async function noopReconcile(ctx: BenchContext, fleet: Fleet): Promise<void> {
  const { opts, verdicts } = ctx;
  const n = fleet.names.length;
  progress(`no-op reconcile --once over ${n} converged agents, ${opts.noopRuns} runs`);
  const base = (ctx.results.start as StartFigures | undefined) ?? (await measureStart(ctx, opts.noopRuns));
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
  const startMs = startWallMs(base);
  const work = median(wall) - startMs;
  ctx.results.noop = {
    n,
    wallMs: wall.map((x) => round(x)),
    ownDurationMs: own,
    subprocesses,
    observeCalls,
    actionsTaken: actions,
    startWallMs: round(startMs),
    reconcileWorkMs: round(work),
  };
  printTable(
    `2. No-op reconcile --once, N=${n} converged (${opts.noopRuns} runs)`,
    ['measure', 'median', 'min', 'max'],
    [
      ['reconcile --once --settle 0: wall', ms(median(wall)), ms(min(wall)), ms(max(wall))],
      ['  its own durationMs (after flag parsing)', ms(median(own)), ms(min(own)), ms(max(own))],
      [
        'process start: validate on an empty folder (section 0)',
        ms(startMs),
        ms(min(base.validateEmpty.wallMs)),
        ms(max(base.validateEmpty.wallMs)),
      ],
      [
        'process start: node -e 0 (section 0)',
        ms(median(base.node.wallMs)),
        ms(min(base.node.wallMs)),
        ms(max(base.node.wallMs)),
      ],
      ['reconcile work = wall - start (validate, empty)', ms(work), '', ''],
      ['subprocesses spawned', String(median(subprocesses)), String(min(subprocesses)), String(max(subprocesses))],
      ['observe calls', String(median(observeCalls)), String(min(observeCalls)), String(max(observeCalls))],
      ['actions taken (should be 0)', String(actions), '', ''],
    ],
  );
  const trows = [
    verdicts.check(
      'noop-subprocesses',
      `no-op N=${n}: subprocesses`,
      '≤ 2',
      String(max(subprocesses)),
      max(subprocesses) <= 2,
    ),
    verdicts.check(
      'noop-wall',
      `no-op N=${n}: wall`,
      '≤ process start + 100 ms',
      `${ms(median(wall))} = start ${ms(startMs)} + ${ms(work)}`,
      work <= 100,
    ),
  ].map((v) => [v.figure, v.target, v.measured, mark(v.pass)]);
  printTable('2. No-op targets', ['figure', 'target', 'measured', 'verdict'], trows);
}
