// The tmux runtime: agents are sessions on a private socket of one machine, started and stopped in batches.
import { tmuxCapabilities } from '../capabilities.js';
import { execa } from 'execa';
import type { Logger } from 'pino';
import type { Machine } from '../../exec/executor.js';
import { ExitFiles } from '../exit-files.js';
import type { LogCursor, LogRead } from '../log-cursor.js';
import {
  RuntimeError,
  type BatchResult,
  type ExitInfo,
  type KeyStep,
  type Observation,
  type Runtime,
  type StartRequest,
  type StopRequest,
} from '../types.js';
import { TmuxClient } from './client.js';
import { CAPTURE_MARK, chain, paneTarget, sessionTarget, splitCaptures, tidyCapture } from './commands.js';
import {
  finishRead,
  MARKS_FORMAT,
  parseMarks,
  parseRead,
  READ_MARGIN,
  readAgain,
  readCommands,
  readStart,
  skipCursor,
  type PaneState,
} from './follow.js';

/** Reads of one follow before it skips ahead; the margin grows fourfold each time. */
const READ_ATTEMPTS = 5;
import { observeSessions } from './observe.js';
import { serverAnswers, socketPath } from './server-alive.js';
import { startSessions, sweepLaunchFiles } from './start.js';
import { stopSessions } from './stop.js';
import { failedAgent, sendKeysCommand } from './send-keys.js';

export interface TmuxRuntimeOptions {
  socket: string;
  machine: Machine;
  /** The run folder on that machine: exit files, launch files, closed-session marks. */
  runDir: string;
  owner: string;
  /** The base of every agent's environment (DESIGN §9.5). */
  baseEnv: Record<string, string>;
  log: Logger;
}

export class TmuxRuntime implements Runtime {
  readonly name = 'tmux' as const;
  readonly capabilities = tmuxCapabilities;
  readonly client: TmuxClient;
  readonly exits: ExitFiles;

  constructor(private readonly o: TmuxRuntimeOptions) {
    // On this machine the tmux client runs with the agents' base environment (and TMUX_TMPDIR, which
    // says where the socket is): a server it starts holds nothing else (see launch.ts).
    const tmpdir = process.env.TMUX_TMPDIR;
    this.client = new TmuxClient(
      o.machine.exec,
      o.socket,
      o.machine.name === 'local' ? { ...o.baseEnv, ...(tmpdir ? { TMUX_TMPDIR: tmpdir } : {}) } : undefined,
    );
    this.exits = new ExitFiles(o.machine.files, o.runDir);
  }

  /** Whether the server may hold an environment someone else gave it: unknown until observed;
   * then only if sessions not ours are on the socket (whoever started the server by hand left
   * one) and it has not been cleared since. */
  private envSuspect = true;
  private envClearing: Promise<void> | null = null;

  async observe(): Promise<Observation> {
    const o = await observeSessions(this.client, this.exits, this.o.owner);
    if (o.agents.size === 0 && o.foreign.length === 0) {
      // No server (or an empty one about to exit): the start that follows creates it, from a
      // client holding only the base environment.
      this.envSuspect = false;
      this.envClearing = null;
    } else if (o.foreign.length > 0 && this.envClearing === null) this.envSuspect = true;
    return o;
  }

  async exitOf(name: string, handle: string | null): Promise<ExitInfo | null> {
    return handle ? this.exits.read(name, handle) : null;
  }

  async start(requests: StartRequest[]): Promise<BatchResult> {
    if (this.envSuspect) await (this.envClearing ??= this.clearForeignEnvironment());
    return startSessions(
      {
        client: this.client,
        files: this.o.machine.files,
        exits: this.exits,
        owner: this.o.owner,
        baseEnv: this.o.baseEnv,
      },
      requests,
    );
  }

  stop(requests: StopRequest[]): Promise<BatchResult> {
    return stopSessions(this.client, this.o.machine, this.o.log, requests);
  }

  async logs(name: string, lines: number): Promise<string> {
    // Capture from further back than asked: blank screen rows are dropped before counting.
    const r = await this.client.run([
      'capture-pane',
      '-p',
      '-J',
      '-S',
      `-${Math.max(1, lines) + 200}`,
      '-t',
      paneTarget(name),
    ]);
    if (r.exitCode !== 0)
      throw new RuntimeError(`no tmux session "${name}" on socket ${this.o.socket}`, {
        runtime: 'tmux',
        stderr: r.stderr,
      });
    return tidyCapture(r.stdout, lines);
  }

  /** New complete lines of the agent's pane since `cursor` (the last `backlog` lines without
   * one): one tmux call, placed from the last read; a pane that scrolled past the read's margin
   * is read again, with a wider one (see follow.ts). */
  async follow(name: string, cursor: LogCursor | null, backlog: number): Promise<LogRead> {
    const target = paneTarget(name);
    const prev = cursor?.kind === 'pane' ? cursor : null;
    let at = readStart(prev, backlog);
    let state: PaneState | null = null;
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const r = await this.client.run(chain(readCommands(target, at.from, at.historySize)));
      const read = r.exitCode === 0 ? parseRead(r.stdout, at.from, at.historySize) : null;
      if (!read)
        throw new RuntimeError(`no tmux session "${name}" on socket ${this.o.socket}`, {
          runtime: 'tmux',
          stderr: r.stderr,
        });
      const done = finishRead(prev, read, backlog);
      if (!done.moved)
        return {
          lines: done.lines,
          positions: done.positions,
          cursor: done.cursor,
          ...(done.skipped ? { skipped: true } : {}),
        };
      state = done.state;
      at = readAgain(prev, state, backlog, READ_MARGIN * 4 ** (attempt + 1));
    }
    // Still out of reach after every attempt (a pane printing without pause): go on from here.
    return { lines: [], cursor: skipCursor(state!), skipped: true };
  }

  /** Where each agent's output ends now (one call for all): the output clock's samples. */
  async outputMarks(names: readonly string[]): Promise<Map<string, LogCursor>> {
    const r = await this.client.run(['list-panes', '-a', '-F', MARKS_FORMAT]);
    if (r.exitCode !== 0) return new Map();
    return parseMarks(r.stdout, new Set(names));
  }

  /** The visible screens of many agents from one tmux client: each capture is preceded by a
   * marker line, so one output splits back into screens. A session that vanished aborts the
   * chain: the rest are then read one by one. */
  async capture(names: readonly string[]): Promise<Map<string, string>> {
    if (names.length === 0) return new Map();
    const r = await this.client.run(
      chain(
        names.flatMap((n) => [
          ['display-message', '-p', '-t', paneTarget(n), `${CAPTURE_MARK}${n}`],
          ['capture-pane', '-p', '-t', paneTarget(n)],
        ]),
      ),
    );
    if (r.exitCode === 0) return splitCaptures(r.stdout);
    const out = new Map<string, string>();
    for (const n of names) {
      const one = await this.client.run(['capture-pane', '-p', '-t', paneTarget(n)]);
      if (one.exitCode === 0) out.set(n, one.stdout);
    }
    return out;
  }

  async sendKeys(name: string, steps: readonly KeyStep[]): Promise<void> {
    const err = (await this.sendKeysMany(new Map([[name, steps]]))).get(name);
    if (err) throw err;
  }

  /** Every agent's steps in one chained client, agents in order. A target that is gone aborts the
   * chain there: the agents before it were typed into, it fails, and the rest go in another chain
   * (never typed twice). Resolves with the error of each agent that was not typed into. */
  async sendKeysMany(batch: ReadonlyMap<string, readonly KeyStep[]>): Promise<Map<string, Error>> {
    const failed = new Map<string, Error>();
    let rest = [...batch].filter(([, steps]) => steps.length > 0);
    while (rest.length > 0) {
      const r = await this.client.run(chain(rest.flatMap(([n, steps]) => steps.map((s) => sendKeysCommand(n, s)))));
      if (r.exitCode === 0) break;
      const names = rest.map(([n]) => n);
      const at = failedAgent(r.stderr, names);
      const error = (n: string): RuntimeError =>
        new RuntimeError(`cannot type into "${n}": ${r.stderr.trim()}`, { runtime: 'tmux', stderr: r.stderr });
      if (at === undefined) {
        for (const n of names) failed.set(n, error(n));
        break;
      }
      failed.set(at, error(at));
      rest = rest.slice(names.indexOf(at) + 1);
    }
    return failed;
  }

  /** Launch files a crash left (they may hold secrets): removed. */
  async sweep(): Promise<void> {
    await sweepLaunchFiles(this.o.machine.files, this.exits.dir, await this.exits.list());
  }

  /** Every pane inherits the server's global environment: a server someone else started (a
   * hand-run `tmux -L <socket>`) carries theirs, and is cleared of all beyond the agents' base
   * before the first start into it. Checked on starts, not on observations, so that a run in
   * sync still costs one subprocess, and only when an observation showed sessions not ours (or
   * none was made): a server agentctl started holds only the base already. */
  private async clearForeignEnvironment(): Promise<void> {
    const extra = await this.client.foreignEnvironment(new Set([...Object.keys(this.o.baseEnv), 'TMUX_TMPDIR', 'PWD']));
    if (extra === null) {
      this.envClearing = null; // the server did not tell: the next start asks again
      return;
    }
    this.envSuspect = false;
    if (extra.length === 0) return;
    this.o.log.info(
      { variables: extra.length },
      "clearing the tmux server's environment of what its starter left (agents must not inherit it)",
    );
    await this.client.run(chain(extra.map((n) => ['set-environment', '-g', '-u', n])));
  }

  /** Only for a server on this machine: a remote one is checked by its observation. */
  get serverAlive(): (() => Promise<boolean>) | undefined {
    if (this.o.machine.name !== 'local') return undefined;
    const path = socketPath(this.o.socket);
    return () => serverAnswers(path);
  }

  async attach(name: string): Promise<number> {
    if (this.o.machine.name !== 'local')
      throw new RuntimeError('attach to a remote tmux agent goes through ssh -t (not wired yet)', { runtime: 'tmux' });
    const env = { ...process.env };
    delete env.TMUX; // attaching from inside another tmux would otherwise be refused
    const r = await execa('tmux', ['-L', this.o.socket, 'attach-session', '-t', sessionTarget(name)], {
      stdio: 'inherit',
      reject: false,
      env,
      extendEnv: false,
    });
    return r.exitCode ?? 1;
  }
}
