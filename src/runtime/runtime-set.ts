// The runtimes this controller can drive, by key: `tmux`, `slurm` (local) — and, per remote host, `tmux@gpu1`.
import type { Runtime } from './types.js';

export class RuntimeSet {
  constructor(private readonly runtimes: ReadonlyMap<string, Runtime>) {}

  has(key: string): boolean {
    return this.runtimes.has(key);
  }

  get(key: string): Runtime {
    const rt = this.runtimes.get(key);
    if (!rt) throw new Error(`runtime ${key} is not available`);
    return rt;
  }

  keys(): string[] {
    return [...this.runtimes.keys()];
  }
}
