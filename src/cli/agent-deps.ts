// Builds the agent controller's dependencies for a command: stores, runtimes of this machine and of its Hosts, views, hooks.
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { AgentDeps } from '../../controllers/agent/deps.js';
import { DesiredStore } from '../../controllers/agent/desired-store.js';
import { HostRuntimes } from '../../controllers/agent/hosts/host-runtimes.js';
import { RecordStore } from '../../controllers/agent/record-store.js';
import { SessionHub } from '../../controllers/agent/session/hub.js';
import { Views } from '../../controllers/agent/views.js';
import { localActivityFiles } from '../claude/activity/files.js';
import { localTranscriptFiles } from '../claude/transcript-files.js';
import { localMachine } from '../exec/local.js';
import { createHookRunner } from '../hooks/factory.js';
import { baseEnv, type Account } from '../runtime/agent-env.js';
import { batching } from '../runtime/batching.js';
import { localSlurmAvailable } from '../runtime/slurm/factory.js';
import { SlurmRuntime } from '../runtime/slurm/slurm-runtime.js';
import { TmuxRuntime } from '../runtime/tmux/tmux-runtime.js';
import type { Runtime } from '../runtime/types.js';
import type { AssembledHost } from '../spec/assemble-hosts.js';
import type { DesiredAgent } from '../spec/load.js';
import type { Context } from './context.js';

export interface DepsOptions {
  allowMassPrune?: boolean;
  settleMs?: number;
  /** The command does not hold the state dir's lock (diff, logs, attach): its ssh connections
   * live in a folder of its own, so closing them never cuts a controller's. */
  sharedState?: boolean;
}

/** The passwd entry of the user running agentctl; none when it cannot be read (no entry). */
function localAccount(): Account {
  try {
    const u = userInfo();
    return { user: u.username, home: u.homedir, shell: u.shell ?? undefined };
  } catch {
    return {};
  }
}

/** This machine's runtimes by key: tmux always, Slurm when its tools are installed. */
export function localRuntimeMap(ctx: Context): Map<string, Runtime> {
  const machine = localMachine(ctx.home, ctx.exec);
  const env = baseEnv(process.env, localAccount());
  const runtimes = new Map<string, Runtime>();
  runtimes.set(
    'tmux',
    batching(
      new TmuxRuntime({
        socket: ctx.socket,
        machine,
        runDir: join(ctx.stateDir, 'run', 'tmux'),
        owner: ctx.owner,
        baseEnv: env,
        log: ctx.log.child({ runtime: 'tmux' }),
      }),
    ),
  );
  if (localSlurmAvailable()) {
    // sbatch needs Slurm's own variables (SLURM_CONF...) beside the agent's base environment.
    const slurmEnv = {
      ...env,
      ...Object.fromEntries(
        Object.entries(process.env).filter(
          (e): e is [string, string] => e[0].startsWith('SLURM_') && e[1] !== undefined,
        ),
      ),
    };
    const slurm = new SlurmRuntime({
      machine,
      runDir: join(ctx.stateDir, 'run', 'slurm'),
      logsDir: join(ctx.stateDir, 'logs', 'slurm'),
      owner: ctx.owner,
      baseEnv: slurmEnv,
      log: ctx.log.child({ runtime: 'slurm' }),
    });
    runtimes.set('slurm', batching(slurm));
  }
  return runtimes;
}

/** Where a command's ssh control sockets live (see DepsOptions.sharedState). */
export function sshDirFor(ctx: Context, sharedState: boolean): string {
  return sharedState ? join(ctx.stateDir, 'ssh', `p${process.pid}`) : join(ctx.stateDir, 'ssh');
}

/** This machine's runtimes and those of every Host with `ssh` in the specs. */
export function hostRuntimes(
  ctx: Context,
  hosts: () => ReadonlyMap<string, AssembledHost>,
  agents: () => Iterable<DesiredAgent>,
  sharedState: boolean,
  now: () => number = Date.now,
): HostRuntimes {
  return new HostRuntimes(localRuntimeMap(ctx), {
    hosts,
    now,
    agents,
    sshDir: sshDirFor(ctx, sharedState),
    ...(sharedState ? { ownSshDir: true } : { stateDir: ctx.stateDir }),
    controllerHome: ctx.home,
    defaultSocket: ctx.socket,
    owner: ctx.owner,
    log: ctx.log,
    wrap: (rt) => batching(rt),
  });
}

export function agentDeps(ctx: Context, o: DepsOptions = {}): AgentDeps {
  const now = Date.now;
  const agentBase = baseEnv(process.env, localAccount());
  const desired = new DesiredStore({
    specsDir: ctx.specsDir,
    host: ctx.host,
    home: ctx.home,
    cacheFile: join(ctx.stateDir, 'cache', 'parsed-specs.json'),
    log: ctx.log,
  });
  const runtimes = hostRuntimes(
    ctx,
    () => desired.specs.hosts,
    () => desired.specs.agents.values(),
    o.sharedState === true,
    now,
  );
  desired.onReload(() => runtimes.refresh());
  const views = new Views(runtimes, now);
  runtimes.onReplaced((keys) => keys.forEach((k) => views.observer.invalidate(k)));
  return {
    identity: { owner: ctx.owner, host: ctx.host, home: ctx.home, stateDir: ctx.stateDir },
    policy: { allowMassPrune: o.allowMassPrune ?? false, settleMs: o.settleMs ?? 0 },
    desired,
    records: new RecordStore(ctx.stateDir, ctx.log),
    runtimes,
    views,
    // Transcripts are read where they are written: on this machine, for its own runtimes.
    sessions: new SessionHub({
      runtimes,
      transcriptFiles: (key) => (key === 'tmux' ? localTranscriptFiles : undefined),
      // Hook lines are written in this machine's run folder by its tmux agents and by Slurm jobs
      // (whose run folder the nodes share, as their exit files).
      activityFiles: (key) => (key === 'tmux' || key === 'slurm' ? localActivityFiles : undefined),
      now,
      log: ctx.log.child({ component: 'sessions' }),
    }),
    hooks: createHookRunner({ log: ctx.log.child({ component: 'hooks' }), baseEnv: agentBase }),
    probeExec: ctx.exec,
    baseEnv: agentBase,
    hosts: runtimes,
    now,
    log: ctx.log,
  };
}
