// The machine a run was made on, printed above the tables and kept in the JSON results.
import { execa } from 'execa';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';

export interface Machine {
  nproc: number;
  cpuModel: string;
  ramGiB: number;
  kernel: string;
  node: string;
  tmux: string;
  loadAvgAtStart: number[];
}

export async function describeMachine(): Promise<Machine> {
  const t = await execa('tmux', ['-V'], { reject: false });
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    tmux: String(t.stdout).trim() || 'not found',
    loadAvgAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export function machineLine(m: Machine): string {
  return `${m.nproc} CPUs (${m.cpuModel}), ${m.ramGiB} GiB RAM, Linux ${m.kernel}, Node ${m.node}, ${m.tmux}; load average at start ${m.loadAvgAtStart.join(' ')}`;
}
