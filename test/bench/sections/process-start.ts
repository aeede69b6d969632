// Section 0: what any agentctl command costs before its own work (`validate` of an empty folder,
// `--help`) against a bare `node -e 0`, interleaved run by run, by wall time and by CPU time
// (user + sys of the child, less sensitive to a busy machine than wall time).
import { execa } from 'execa';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childTicks } from '../child-cpu.js';
import type { BenchContext } from '../context.js';
import { CLI } from '../paths.js';
import { clockTicksPerSecond } from '../proc-stats.js';
import { printTable, progress } from '../report.js';
import { median, min, ms, ratio, round } from '../stats.js';
import { mark } from '../targets.js';
import { removeTree } from '../../helpers/remove-tree.js';

export interface StartFigures {
  runs: number;
  /** Per command: wall times (ms) and mean CPU time per run (ms). */
  node: { wallMs: number[]; cpuMs: number };
  validateEmpty: { wallMs: number[]; cpuMs: number };
  help: { wallMs: number[]; cpuMs: number };
}

type Cmd = 'node' | 'validateEmpty' | 'help';

export async function measureStart(ctx: BenchContext, runs: number): Promise<StartFigures> {
  const empty = mkdtempSync(join(tmpdir(), 'agentctl-bench-empty-'));
  const drop = ctx.cleanup.add(`folder ${empty}`, () => removeTree(empty));
  const env = { AGENTCTL_SPECS: empty, AGENTCTL_STATE: join(empty, 'state'), AGENTCTL_LOG_FORMAT: 'json' };
  const argv: Record<Cmd, [string, string[]]> = {
    node: [process.execPath, ['-e', '0']],
    validateEmpty: [CLI, ['validate']],
    help: [CLI, ['--help']],
  };
  const wall: Record<Cmd, number[]> = { node: [], validateEmpty: [], help: [] };
  const ticks: Record<Cmd, number> = { node: 0, validateEmpty: 0, help: 0 };
  try {
    for (let i = 0; i < runs; i++) {
      // The order rotates, so that no command always runs right after another.
      const order: Cmd[] = (['node', 'validateEmpty', 'help'] as Cmd[]).map((_, k, a) => a[(k + i) % a.length]!);
      for (const c of order) {
        ctx.cleanup.check();
        const [file, args] = argv[c];
        const t0 = childTicks();
        const w0 = performance.now();
        const r = await ctx.cleanup.child(execa(file, args, { env, reject: false, stdin: 'ignore', timeout: 60_000 }));
        wall[c].push(performance.now() - w0);
        ticks[c] += childTicks() - t0;
        if (c === 'validateEmpty' && r.exitCode !== 0)
          throw new Error(
            `agentctl validate on an empty folder exited ${r.exitCode}: ${String(r.stdout)}${String(r.stderr)}`,
          );
      }
    }
  } finally {
    await drop();
  }
  const hz = await clockTicksPerSecond();
  const cpu = (c: Cmd): number => (ticks[c] / hz / runs) * 1000;
  return {
    runs,
    node: { wallMs: wall.node.map((x) => round(x)), cpuMs: round(cpu('node')) },
    validateEmpty: { wallMs: wall.validateEmpty.map((x) => round(x)), cpuMs: round(cpu('validateEmpty')) },
    help: { wallMs: wall.help.map((x) => round(x)), cpuMs: round(cpu('help')) },
  };
}

/** The figure other sections subtract: median wall of `validate` on an empty folder. */
export const startWallMs = (s: StartFigures): number => median(s.validateEmpty.wallMs);

export async function processStart(ctx: BenchContext): Promise<StartFigures> {
  const runs = ctx.opts.startRuns;
  progress(`process start: node -e 0, validate (empty folder), --help; ${runs} interleaved runs each`);
  const s = await measureStart(ctx, runs);
  ctx.results.start = s;
  const nodeWall = median(s.node.wallMs);
  const row = (label: string, f: { wallMs: number[]; cpuMs: number }): string[] => [
    label,
    ms(median(f.wallMs)),
    ms(min(f.wallMs)),
    ratio(median(f.wallMs) / nodeWall),
    ms(f.cpuMs),
    ratio(f.cpuMs / s.node.cpuMs),
  ];
  printTable(
    `0. Process start (${runs} interleaved runs)`,
    ['command', 'wall median', 'wall min', 'wall vs node', 'CPU per run', 'CPU vs node'],
    [
      row('node -e 0', s.node),
      row('agentctl validate (empty folder)', s.validateEmpty),
      row('agentctl --help', s.help),
    ],
    [
      'agentctl runs through its shebang, as users run it; CPU = user + sys of the child (clock ticks, averaged over the runs).',
    ],
  );
  const cpuRatio = s.validateEmpty.cpuMs / s.node.cpuMs;
  const wallRatio = median(s.validateEmpty.wallMs) / nodeWall;
  const v = ctx.verdicts.check(
    'start',
    'process start (validate, empty folder) vs node -e 0',
    '≤ 1.60× (CPU time)',
    `${ratio(cpuRatio)} CPU, ${ratio(wallRatio)} wall`,
    cpuRatio <= 1.6,
  );
  printTable(
    '0. Process start target',
    ['figure', 'target', 'measured', 'verdict'],
    [[v.figure, v.target, v.measured, mark(v.pass)]],
  );
  return s;
}
