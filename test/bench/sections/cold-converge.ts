// Section 1: cold converge of N agents by agentctl against the floor, sequential starts and PM2,
// interleaved round by round (the order rotates) so that noise spreads over all variants.
import type { BenchContext } from '../context.js';
import { ensurePm2 } from '../pm2.js';
import { printTable, progress } from '../report.js';
import { median, ms, ratio, round } from '../stats.js';
import { mark } from '../targets.js';
import { agentctlOnce } from '../variants/agentctl-once.js';
import type { ConvergeRun, VariantId } from '../variants/converge-run.js';
import { floor, floorAgentctlLines } from '../variants/floor.js';
import { pm2Start } from '../variants/pm2-start.js';
import { sequential } from '../variants/sequential.js';
import type { Cleanup } from '../cleanup.js';

type VariantFn = (cleanup: Cleanup, n: number) => Promise<ConvergeRun>;

const LABEL: Record<VariantId, string> = {
  floor: 'floor: 1 tmux client, source-file',
  'floor-agentctl-lines': "floor with agentctl's lines (wrapper + marks)",
  agentctl: 'agentctl reconcile --once --settle 0',
  sequential: 'sequential has-session + new-session',
  pm2: 'PM2 start, until jlist all online',
};

export interface VariantSummary {
  variant: VariantId;
  n: number;
  wallMsMedian: number;
  wallMs: number[];
  ratioToFloor: number;
  subprocesses: number;
  extra: Record<string, number>;
}

function summarise(runs: ConvergeRun[], n: number, variant: VariantId, floorMs: number): VariantSummary | undefined {
  const mine = runs.filter((r) => r.n === n && r.variant === variant);
  if (mine.length === 0) return undefined;
  const wall = median(mine.map((r) => r.wallMs));
  const extraKeys = new Set(mine.flatMap((r) => Object.keys(r.extra)));
  const extra = Object.fromEntries([...extraKeys].map((k) => [k, round(median(mine.map((r) => r.extra[k] ?? Number.NaN)))]));
  return { variant, n, wallMsMedian: round(wall), wallMs: mine.map((r) => round(r.wallMs)), ratioToFloor: round(wall / floorMs, 2), subprocesses: median(mine.map((r) => r.subprocesses)), extra };
}

export async function coldConverge(ctx: BenchContext): Promise<void> {
  const { opts, cleanup, verdicts } = ctx;
  const variants: [VariantId, VariantFn][] = [
    ['floor', floor],
    ['floor-agentctl-lines', floorAgentctlLines],
    ['agentctl', agentctlOnce],
    ['sequential', sequential],
  ];
  if (opts.pm2) {
    progress(`installing pm2 into .bench/pm2 (cached) ...`);
    ctx.results.pm2Version = await ensurePm2(cleanup);
    variants.push(['pm2', pm2Start]);
  }
  const runs: ConvergeRun[] = [];
  const summaries: VariantSummary[] = [];
  ctx.results.converge = { runs, summaries };
  for (const [si, n] of opts.convergeSizes.entries()) {
    for (let r = 0; r < opts.rounds; r++) {
      const k = (si + r) % variants.length;
      for (const [id, fn] of [...variants.slice(k), ...variants.slice(0, k)]) {
        cleanup.check();
        progress(`converge N=${n} round ${r + 1}/${opts.rounds}: ${id}`);
        const run = await fn(cleanup, n);
        progress(`  ${ms(run.wallMs)}`);
        runs.push(run);
      }
    }
  }

  const rows: string[][] = [];
  for (const n of opts.convergeSizes) {
    const floorMs = median(runs.filter((r) => r.n === n && r.variant === 'floor').map((r) => r.wallMs));
    for (const [id] of variants) {
      const s = summarise(runs, n, id, floorMs);
      if (!s) continue;
      summaries.push(s);
      const note =
        id === 'agentctl' ? `its own durationMs ${ms(s.extra.durationMs ?? Number.NaN)}, ${s.extra.observeCalls ?? '?'} observe calls` :
        id === 'pm2' ? `pm2 start returned after ${ms(s.extra.pm2StartReturnedMs ?? Number.NaN)}` : '';
      const server = s.extra.tmuxServerCpuMs;
      rows.push([String(n), LABEL[id], ms(s.wallMsMedian), s.wallMs.map((x) => ms(x)).join(', '), ratio(s.ratioToFloor), String(s.subprocesses), server === undefined ? '-' : ms(server), note]);
    }
  }
  printTable('1. Cold converge (wall time, median of rounds)', ['N', 'variant', 'wall', 'runs', 'vs floor', 'subprocesses', 'tmux server CPU', 'notes'], rows, [
    'agentctl runs with --settle 0 (raw converge; the default 1s settle would add a second); wall = spawn to exit of the node process.',
    'subprocesses: processes the variant spawned (agentctl: its own count from the debug log; PM2: CLI calls, not the apps it forks).',
    'tmux server CPU: utime+stime of the tmux server after the converge (less sensitive to a busy machine than wall time).',
  ]);

  const big = Math.max(...opts.convergeSizes);
  const get = (v: VariantId): number => summaries.find((s) => s.n === big && s.variant === v)?.wallMsMedian ?? Number.NaN;
  const a = get('agentctl');
  const f = get('floor');
  const seq = get('sequential');
  const p = get('pm2');
  const trows = [
    verdicts.check('converge-floor', `cold converge N=${big} vs floor`, '≤ 1.50× floor', ratio(a / f), a / f <= 1.5),
    verdicts.check('converge-sequential', `cold converge N=${big} vs sequential`, '≥ 5× faster', ratio(seq / a), seq / a >= 5),
    ...(opts.pm2 ? [verdicts.check('converge-pm2', `cold converge N=${big} vs PM2`, 'faster than PM2', `${ms(a)} vs ${ms(p)}`, a < p)] : []),
  ].map((v) => [v.figure, v.target, v.measured, mark(v.pass)]);
  printTable(`1. Cold converge targets (N=${big})`, ['figure', 'target', 'measured', 'verdict'], trows);
}
