// The runtimes of one Host reached over SSH: `tmux@<host>` always, `slurm@<host>` when the Host says `slurm: true`.
import { slurmCapabilities } from '../runtime/capabilities.js';
import { formatRuntimeKey } from '../runtime/runtime-key.js';
import type { Logger } from 'pino';
import type { SshTuning } from '../exec/ssh-options.js';
import { SlurmRuntime } from '../runtime/slurm/slurm-runtime.js';
import type { BatchResult, ExitInfo, Observation, Runtime, StartRequest, StopRequest } from '../runtime/types.js';
import type { HostSpec, SshTarget } from '../spec/schema.js';
import { RemoteHost } from './remote-host.js';
import { RemoteTmuxRuntime } from './remote-tmux-runtime.js';

export interface RemoteRuntimesOptions {
  name: string;
  spec: HostSpec & { ssh: SshTarget };
  sshDir: string;
  controllerHome: string;
  /** The controller's tmux socket: the default for a Host without `tmuxSocket`. */
  defaultSocket: string;
  owner: string;
  workdirs: () => readonly string[];
  log: Logger;
  tuning?: Partial<SshTuning>;
  minRetryMs?: number;
  maxRetryMs?: number;
}

/** A runtime built once its host's machine is known (after the first call there). */
function lazyRuntime(name: 'slurm', build: () => Promise<Runtime>): Runtime {
  let built: Promise<Runtime> | null = null;
  const rt = (): Promise<Runtime> =>
    (built ??= build().catch((err: unknown) => ((built = null), Promise.reject(err as Error))));
  return {
    name,
    capabilities: slurmCapabilities,
    observe: async (): Promise<Observation> => (await rt()).observe(),
    start: async (r: StartRequest[]): Promise<BatchResult> => (await rt()).start(r),
    stop: async (r: StopRequest[]): Promise<BatchResult> => (await rt()).stop(r),
    exitOf: async (n: string, h: string | null): Promise<ExitInfo | null> => (await rt()).exitOf(n, h),
    logs: async (n: string, l: number): Promise<string> => (await rt()).logs(n, l),
    attach: async (n: string): Promise<number> => (await rt()).attach(n),
  };
}

export interface RemoteRuntimes {
  host: RemoteHost;
  /** By runtime key (`tmux@gpu1`, `slurm@gpu1`). */
  runtimes: Map<string, Runtime>;
}

/** The host's runtimes; `reuse`: keep that host (and its connection) when only tmuxSocket or
 * slurm changed. */
export function remoteRuntimes(o: RemoteRuntimesOptions, reuse?: RemoteHost): RemoteRuntimes {
  const host =
    reuse ??
    new RemoteHost({
      name: o.name,
      spec: o.spec,
      sshDir: o.sshDir,
      controllerHome: o.controllerHome,
      workdirs: o.workdirs,
      needTmux: true,
      log: o.log,
      ...(o.tuning ? { tuning: o.tuning } : {}),
      ...(o.minRetryMs !== undefined ? { minRetryMs: o.minRetryMs } : {}),
      ...(o.maxRetryMs !== undefined ? { maxRetryMs: o.maxRetryMs } : {}),
    });
  const socket = o.spec.tmuxSocket ?? o.defaultSocket;
  const runtimes = new Map<string, Runtime>();
  const tmuxKey = formatRuntimeKey({ runtime: 'tmux', host: o.name });
  const slurmKey = formatRuntimeKey({ runtime: 'slurm', host: o.name });
  runtimes.set(
    tmuxKey,
    new RemoteTmuxRuntime({ host, socket, owner: o.owner, log: o.log.child({ runtime: tmuxKey }) }),
  );
  if (o.spec.slurm) {
    runtimes.set(
      slurmKey,
      lazyRuntime('slurm', async () => {
        const machine = await host.machine();
        const base = `${machine.home}/.local/state/agentctl`;
        return new SlurmRuntime({
          machine,
          runDir: `${base}/run/slurm`,
          logsDir: `${base}/logs/slurm`,
          owner: o.owner,
          baseEnv: machine.env,
          log: o.log.child({ runtime: slurmKey }),
        });
      }),
    );
  }
  return { host, runtimes };
}
