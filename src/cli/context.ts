// Resolves global flags and environment into what every command uses: paths, identity, logger, executor.
import { hostname, homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { createLogger, type LogFormat } from '../log/logger.js';
import { TtyLines } from '../log/tty-lines.js';
import { colourWanted } from './tty/colour.js';
import { createLocalExecutor } from '../exec/local.js';
import type { Executor } from '../exec/executor.js';
import { ownerId } from '../registry/owner.js';
import { onResourceExhausted } from '../util/resource-alarm.js';

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
  exec: Executor;
  /** stderr as a person sees it (pretty logs, a live status line); absent when logs are JSON. */
  tty?: TtyLines;
}

export function defaultStateDir(env: NodeJS.ProcessEnv, home: string): string {
  const xdg =
    env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(home, '.local', 'state');
  return join(xdg, 'agentctl');
}

export function createContext(g: GlobalOptions): Context {
  const home = process.env.HOME || homedir();
  const format: LogFormat =
    g.logFormat === 'json' || g.logFormat === 'pretty' ? g.logFormat : process.stderr.isTTY ? 'pretty' : 'json';
  const tty = format === 'pretty' ? new TtyLines(process.stderr, colourWanted(process.stderr, process.env)) : undefined;
  const log = createLogger(g.logLevel, format, tty);
  onResourceExhausted((fields, msg) => log.warn(fields, msg));
  const stateDir = resolve(g.state ?? defaultStateDir(process.env, home));
  const host = g.host || hostname();
  return {
    specsDir: g.specs,
    stateDir,
    socket: g.tmuxSocket,
    host,
    home,
    owner: ownerId(host, stateDir),
    log,
    exec: createLocalExecutor(),
    ...(tty ? { tty } : {}),
  };
}
