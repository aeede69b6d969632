// The floor: one tmux client issuing all N new-session commands from a file (source-file); and,
// to split the gap, the same with the exact lines agentctl sends (wrapper, marks, launch files).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chain, tmuxQuote } from '../../../src/runtime/tmux/commands.js';
import { launchScript, serverSetupLines, sessionLine } from '../../../src/runtime/tmux/launch.js';
import { baseEnv } from '../../../src/runtime/agent-env.js';
import type { Cleanup } from '../cleanup.js';
import { AGENT_ARGV, agentName } from '../spec-files.js';
import { BenchTmux } from '../tmux-server.js';
import { NotConvergedError, type ConvergeRun } from './converge-run.js';
import { removeTree } from '../../helpers/remove-tree.js';

function plainLine(name: string): string {
  return ['new-session', '-d', '-s', name, '-c', '/tmp', '--', ...AGENT_ARGV]
    .map((w, i) => (i === 0 ? w : tmuxQuote(w)))
    .join(' ');
}

/** The line agentctl sends for an agent, with its launch file written as agentctl writes it. */
function agentctlLine(name: string, dir: string): string {
  const token = `bench${name}`;
  const launchFile = join(dir, `${name}.${token}.launch`);
  writeFileSync(
    launchFile,
    launchScript({ env: { ...baseEnv(process.env), AGENTCTL_AGENT: name }, workdir: '/tmp', argv: [...AGENT_ARGV] }),
    { mode: 0o600 },
  );
  return sessionLine({
    name,
    token,
    owner: 'bench-owner',
    hash: 'f'.repeat(64),
    launchFile,
    exitFile: join(dir, `${name}.${token}.exit`),
  });
}

async function sourced(cleanup: Cleanup, n: number, variant: 'floor' | 'floor-agentctl-lines'): Promise<ConvergeRun> {
  const dir = mkdtempSync(join(tmpdir(), 'agentctl-bench-floor-'));
  const dropDir = cleanup.add(`folder ${dir}`, () => removeTree(dir));
  const tmux = new BenchTmux(cleanup);
  try {
    const names = Array.from({ length: n }, (_, i) => agentName('a', i + 1));
    const lines = variant === 'floor' ? names.map(plainLine) : names.map((name) => agentctlLine(name, dir));
    const file = join(dir, 'start.conf');
    writeFileSync(file, `${lines.join('\n')}\n`);
    if (variant !== 'floor') writeFileSync(file, `${[...serverSetupLines(dir), ...lines].join('\n')}\n`);
    const t0 = performance.now();
    const r = await tmux.run(chain([['start-server'], ['source-file', file]]));
    const wallMs = performance.now() - t0;
    if (r.exitCode !== 0)
      throw new Error(`${variant}: tmux source-file failed: ${r.stderr.trim().split('\n')[0] ?? ''}`);
    const got = await tmux.count();
    if (got !== n) throw new NotConvergedError(variant, n, got);
    return { variant, n, wallMs, subprocesses: 1, extra: { tmuxServerCpuMs: await tmux.serverCpuMs() } };
  } finally {
    await tmux.kill();
    await dropDir();
  }
}

export const floor = (cleanup: Cleanup, n: number): Promise<ConvergeRun> => sourced(cleanup, n, 'floor');
export const floorAgentctlLines = (cleanup: Cleanup, n: number): Promise<ConvergeRun> =>
  sourced(cleanup, n, 'floor-agentctl-lines');
