// Resolves global flags and environment into the pieces every command uses (logger, runtimes, world).
import { hostname, homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { createLogger, type LogFormat } from '../log/logger.js';
import { createExec, type Exec } from '../util/exec.js';
import { TmuxRuntime } from '../runtime/tmux/tmux-runtime.js';
import { batching } from '../runtime/batching.js';
import type { Runtime } from '../runtime/types.js';
import type { RuntimeName } from '../spec/schema.js';
import { ownerId } from '../engine/owner.js';
import { World } from '../engine/world.js';
import { createSlurmRuntime } from '../runtime/slurm/factory.js';
import { createHookRunner } from '../hooks/factory.js';

export interface GlobalOptions {
  specs: string;
  state?: string;
  tmuxSocket: string;
  host?: string;
  logLevel: string;
  logFormat?: string;
}

export interface Context {
  specsDir: string;
  stateDir: string;
  socket: string;
  host: string;
  home: string;
  owner: string;
  log: Logger;
  exec: Exec;
  runtimes: Map<RuntimeName, Runtime>;
}

export function defaultStateDir(env: NodeJS.ProcessEnv, home: string): string {
  const xdg = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(home, '.local', 'state');
  return join(xdg, 'agentctl');
}

export function createContext(g: GlobalOptions): Context {
  const home = process.env.HOME || homedir();
  const format: LogFormat = g.logFormat === 'json' || g.logFormat === 'pretty' ? g.logFormat : process.stderr.isTTY ? 'pretty' : 'json';
  const log = createLogger(g.logLevel, format);
  const stateDir = resolve(g.state ?? defaultStateDir(process.env, home));
  const host = g.host || hostname();
  const owner = ownerId(host, stateDir);
  const exec = createExec();
  const runtimes = new Map<RuntimeName, Runtime>();
  runtimes.set('tmux', batching(new TmuxRuntime({ socket: g.tmuxSocket, stateDir, owner, exec, log: log.child({ runtime: 'tmux' }) })));
  const slurm = createSlurmRuntime({ stateDir, owner, exec, log: log.child({ runtime: 'slurm' }) });
  if (slurm) runtimes.set('slurm', batching(slurm));
  return { specsDir: g.specs, stateDir, socket: g.tmuxSocket, host, home, owner, log, exec, runtimes };
}

export function createWorld(c: Context, allowMassPrune = false): World {
  return new World({
    specsDir: c.specsDir,
    stateDir: c.stateDir,
    host: c.host,
    home: c.home,
    owner: c.owner,
    allowMassPrune,
    log: c.log,
    runtimes: c.runtimes,
    hooks: createHookRunner({ exec: c.exec, log: c.log.child({ component: 'hooks' }) }),
    exec: c.exec,
  });
}
