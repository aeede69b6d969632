// The key of a runtime: `tmux`, `slurm` on this machine, `<runtime>@<host>` on a Host driven over SSH (DESIGN §9.1).
import { RuntimeName } from '../spec/schema.js';

export interface RuntimeKey {
  runtime: RuntimeName;
  /** The Host it runs on; absent for this machine. */
  host?: string;
}

/** `{runtime: 'tmux', host: 'gpu1'}` → `tmux@gpu1`; `{runtime: 'tmux'}` → `tmux`. */
export function formatRuntimeKey(k: RuntimeKey): string {
  return k.host === undefined ? k.runtime : `${k.runtime}@${k.host}`;
}

/** The inverse of formatRuntimeKey; throws on a runtime name that is not one of ours. */
export function parseRuntimeKey(key: string): RuntimeKey {
  const at = key.indexOf('@');
  const runtime = RuntimeName.parse(at < 0 ? key : key.slice(0, at));
  return at < 0 ? { runtime } : { runtime, host: key.slice(at + 1) };
}

/** The host of a key (`tmux@gpu1` → `gpu1`); undefined for this machine's runtimes. */
export function hostOfKey(key: string): string | undefined {
  const at = key.indexOf('@');
  return at < 0 ? undefined : key.slice(at + 1);
}
