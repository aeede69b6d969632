// Builds the agent controller's dependencies for a command: stores, runtimes of this machine, views, hooks.
import { join } from 'node:path';
import type { AgentDeps } from '../../controllers/agent/deps.js';
import { DesiredStore } from '../../controllers/agent/desired-store.js';
import { RecordStore } from '../../controllers/agent/record-store.js';
import { SessionHub } from '../../controllers/agent/session/hub.js';
import { Views } from '../../controllers/agent/views.js';
import { localTranscriptFiles } from '../claude/transcript-files.js';
import { localMachine } from '../exec/local.js';
import { createHookRunner } from '../hooks/factory.js';
import { baseEnv } from '../runtime/agent-env.js';
import { batching } from '../runtime/batching.js';
import { RuntimeSet } from '../runtime/runtime-set.js';
import { localSlurmAvailable } from '../runtime/slurm/factory.js';
import { SlurmRuntime } from '../runtime/slurm/slurm-runtime.js';
import { TmuxRuntime } from '../runtime/tmux/tmux-runtime.js';
import type { Runtime } from '../runtime/types.js';
import type { Context } from './context.js';

export interface DepsOptions {
  allowMassPrune?: boolean;
  settleMs?: number;
}

/** Runtimes on this machine: tmux always, Slurm when its tools are installed. */
export function localRuntimes(ctx: Context): RuntimeSet {
  const machine = localMachine(ctx.home, ctx.exec);
  const env = baseEnv(process.env);
  const runtimes = new Map<string, Runtime>();
  runtimes.set('tmux', batching(new TmuxRuntime({ socket: ctx.socket, machine, runDir: join(ctx.stateDir, 'run', 'tmux'), owner: ctx.owner, baseEnv: env, log: ctx.log.child({ runtime: 'tmux' }) })));
  if (localSlurmAvailable()) {
    // sbatch needs Slurm's own variables (SLURM_CONF...) beside the agent's base environment.
    const slurmEnv = { ...env, ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('SLURM_') && e[1] !== undefined)) };
    const slurm = new SlurmRuntime({ machine, runDir: join(ctx.stateDir, 'run', 'slurm'), logsDir: join(ctx.stateDir, 'logs', 'slurm'), owner: ctx.owner, baseEnv: slurmEnv, log: ctx.log.child({ runtime: 'slurm' }) });
    runtimes.set('slurm', batching(slurm));
  }
  return new RuntimeSet(runtimes);
}

export function agentDeps(ctx: Context, o: DepsOptions = {}): AgentDeps {
  const runtimes = localRuntimes(ctx);
  const now = Date.now;
  return {
    identity: { owner: ctx.owner, host: ctx.host, home: ctx.home, stateDir: ctx.stateDir },
    policy: { allowMassPrune: o.allowMassPrune ?? false, settleMs: o.settleMs ?? 0 },
    desired: new DesiredStore({ specsDir: ctx.specsDir, host: ctx.host, home: ctx.home, cacheFile: join(ctx.stateDir, 'cache', 'parsed-specs.json'), log: ctx.log }),
    records: new RecordStore(ctx.stateDir, ctx.log),
    runtimes,
    views: new Views(runtimes, now),
    // Transcripts are read where they are written: on this machine, for its own runtimes.
    sessions: new SessionHub({ runtimes, transcriptFiles: (key) => (key === 'tmux' ? localTranscriptFiles : undefined), now, log: ctx.log.child({ component: 'sessions' }) }),
    hooks: createHookRunner({ log: ctx.log.child({ component: 'hooks' }) }),
    probeExec: ctx.exec,
    now,
    log: ctx.log,
  };
}
