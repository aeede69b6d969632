// Section 1: cold converge of N agents by agentctl against the floor, sequential starts and PM2,
// interleaved round by round (the order rotates) so that noise spreads over all variants.
import type { BenchContext } from '../context.js';
import { ensurePm2 } from '../pm2.js';
import { printTable, progress } from '../report.js';
import { median, ms, ratio, round } from '../stats.js';
import { mark, type Verdict } from '../targets.js';
import { agentctlOnce } from '../variants/agentctl-once.js';
import type { ConvergeRun, VariantId } from '../variants/converge-run.js';
import { floor, floorAgentctlLines } from '../variants/floor.js';
import { pm2Start } from '../variants/pm2-start.js';
import { sequential } from '../variants/sequential.js';
import type { Cleanup } from '../cleanup.js';
import { growthRows } from '../growth.js';

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
  const extra = Object.fromEntries(
    [...extraKeys].map((k) => [k, round(median(mine.map((r) => r.extra[k] ?? Number.NaN)))]),
  );
  return {
    variant,
    n,
    wallMsMedian: round(wall),
    wallMs: mine.map((r) => round(r.wallMs)),
    ratioToFloor: round(wall / floorMs, 2),
    subprocesses: median(mine.map((r) => r.subprocesses)),
    extra,
  };
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
    // Sequential starts and PM2 take minutes at thousands of agents; their targets are at N=1000.
    const here = variants.filter(([id]) => n <= opts.baselineMaxN || (id !== 'sequential' && id !== 'pm2'));
    for (let r = 0; r < opts.rounds; r++) {
      const k = (si + r) % here.length;
      for (const [id, fn] of [...here.slice(k), ...here.slice(0, k)]) {
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
        id === 'agentctl'
          ? `its own durationMs ${ms(s.extra.durationMs ?? Number.NaN)}, ${s.extra.observeCalls ?? '?'} observe calls; then a no-op: ${ms(s.extra.noopWallMs ?? Number.NaN)} wall, ${s.extra.noopSubprocesses ?? '?'} subprocess(es)`
          : id === 'pm2'
            ? `pm2 start returned after ${ms(s.extra.pm2StartReturnedMs ?? Number.NaN)}`
            : '';
      const server = s.extra.tmuxServerCpuMs;
      rows.push([
        String(n),
        LABEL[id],
        ms(s.wallMsMedian),
        s.wallMs.map((x) => ms(x)).join(', '),
        ratio(s.ratioToFloor),
        String(s.subprocesses),
        server === undefined ? '-' : ms(server),
        note,
      ]);
    }
  }
  printTable(
    '1. Cold converge (wall time, median of rounds)',
    ['N', 'variant', 'wall', 'runs', 'vs floor', 'subprocesses', 'tmux server CPU', 'notes'],
    rows,
    [
      'agentctl runs with --settle 0 (raw converge; the default 1s settle would add a second); wall = spawn to exit of the node process.',
      'subprocesses: processes the variant spawned (agentctl: its own count from the debug log; PM2: CLI calls, not the apps it forks).',
      'tmux server CPU: utime+stime of the tmux server after the converge (less sensitive to a busy machine than wall time).',
    ],
  );

  // Growth: cost per agent by N, and agentctl's ratio to the floor at each size.
  const growth = growthRows(summaries, opts.convergeSizes);
  ctx.results.growth = growth;
  printTable(
    '1b. Growth: wall time per agent by N (median of rounds)',
    [
      'N',
      'floor',
      "floor, agentctl's lines",
      'agentctl',
      'agentctl vs floor',
      'no-op: own time per agent',
      'no-op: wall',
    ],
    growth.map((g) => [
      String(g.n),
      perAgent(g.floorMsPerAgent),
      perAgent(g.linesMsPerAgent),
      perAgent(g.agentctlMsPerAgent),
      ratio(g.ratioToFloor),
      perAgent(g.noopMsPerAgent),
      ms(g.noopWallMs),
    ]),
    [
      'no-op: `reconcile --once --settle 0` right after the converge, over the converged fleet; own time = its durationMs (after flag parsing).',
    ],
  );

  const at = (n: number, v: VariantId): number =>
    summaries.find((x) => x.n === n && x.variant === v)?.wallMsMedian ?? Number.NaN;
  const ratioAt = (n: number): number => at(n, 'agentctl') / at(n, 'floor');
  const g = (n: number): (typeof growth)[number] | undefined => growth.find((x) => x.n === n);
  const trows: Verdict[] = [];
  for (const [n, limit] of [
    [200, 2.0],
    [1000, 1.5],
    [5000, 1.5],
  ] as const) {
    if (!opts.convergeSizes.includes(n)) continue;
    trows.push(
      verdicts.check(
        `converge-${n}-floor`,
        `cold converge N=${n} vs floor${n === 200 ? ' (--once --settle 0, whole process)' : ''}`,
        `≤ ${limit.toFixed(2)}× floor`,
        ratio(ratioAt(n)),
        ratioAt(n) <= limit,
      ),
    );
  }
  if (opts.convergeSizes.includes(1000)) {
    const a = at(1000, 'agentctl');
    trows.push(
      verdicts.check(
        'converge-1000-sequential',
        'cold converge N=1000 vs sequential',
        '≥ 6× faster',
        ratio(at(1000, 'sequential') / a),
        at(1000, 'sequential') / a >= 6,
      ),
    );
    if (opts.pm2)
      trows.push(
        verdicts.check(
          'converge-1000-pm2',
          'cold converge N=1000 vs PM2',
          '≥ 2× faster',
          `${ratio(at(1000, 'pm2') / a)} (${ms(a)} vs ${ms(at(1000, 'pm2'))})`,
          at(1000, 'pm2') / a >= 2,
        ),
      );
  }
  if (opts.convergeSizes.includes(500) && opts.convergeSizes.includes(5000)) {
    const grow = ratioAt(5000) / ratioAt(500);
    trows.push(
      verdicts.check(
        'growth-converge',
        'growth: ratio to floor at N=5000 / at N=500',
        '≤ 1.10',
        `${grow.toFixed(2)} (${ratio(ratioAt(5000))} / ${ratio(ratioAt(500))})`,
        grow <= 1.1,
      ),
    );
    const n500 = g(500)?.noopMsPerAgent ?? Number.NaN;
    const n5000 = g(5000)?.noopMsPerAgent ?? Number.NaN;
    trows.push(
      verdicts.check(
        'growth-noop',
        'growth: no-op work per agent, N=5000 / N=500',
        'flat (≤ 1.10)',
        `${(n5000 / n500).toFixed(2)} (${perAgent(n5000)} / ${perAgent(n500)})`,
        n5000 / n500 <= 1.1,
      ),
    );
  }
  printTable(
    '1. Cold converge targets',
    ['figure', 'target', 'measured', 'verdict'],
    trows.map((v) => [v.figure, v.target, v.measured, mark(v.pass)]),
  );
}

const perAgent = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)} ms` : '-');
