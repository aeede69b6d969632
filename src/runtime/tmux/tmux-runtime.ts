// The tmux runtime: agents are sessions on a private socket of one machine, started and stopped in batches.
import { execa } from 'execa';
import type { Logger } from 'pino';
import type { Machine } from '../../exec/executor.js';
import { ExitFiles } from '../exit-files.js';
import { RuntimeError, type BatchResult, type ExitInfo, type KeyStep, type Observation, type Runtime, type StartRequest, type StopRequest } from '../types.js';
import { TmuxClient } from './client.js';
import { CAPTURE_MARK, chain, paneTarget, sessionTarget, splitCaptures, tidyCapture } from './commands.js';
import { observeSessions } from './observe.js';
import { serverAnswers, socketPath } from './server-alive.js';
import { startSessions, sweepLaunchFiles } from './start.js';
import { stopSessions } from './stop.js';

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
  readonly client: TmuxClient;
  readonly exits: ExitFiles;

  constructor(private readonly o: TmuxRuntimeOptions) {
    this.client = new TmuxClient(o.machine.exec, o.socket);
    this.exits = new ExitFiles(o.machine.files, o.runDir);
  }

  observe(): Promise<Observation> {
    return observeSessions(this.client, this.exits, this.o.owner);
  }

  async exitOf(name: string, handle: string | null): Promise<ExitInfo | null> {
    return handle ? this.exits.read(name, handle) : null;
  }

  start(requests: StartRequest[]): Promise<BatchResult> {
    return startSessions({ client: this.client, files: this.o.machine.files, exits: this.exits, owner: this.o.owner, baseEnv: this.o.baseEnv }, requests);
  }

  stop(requests: StopRequest[]): Promise<BatchResult> {
    return stopSessions(this.client, this.o.machine, this.o.log, requests);
  }

  async logs(name: string, lines: number): Promise<string> {
    // Capture from further back than asked: blank screen rows are dropped before counting.
    const r = await this.client.run(['capture-pane', '-p', '-J', '-S', `-${Math.max(1, lines) + 200}`, '-t', paneTarget(name)]);
    if (r.exitCode !== 0) throw new RuntimeError(`no tmux session "${name}" on socket ${this.o.socket}`, { runtime: 'tmux', stderr: r.stderr });
    return tidyCapture(r.stdout, lines);
  }

  /** The visible screens of many agents from one tmux client: each capture is preceded by a
   * marker line, so one output splits back into screens. A session that vanished aborts the
   * chain: the rest are then read one by one. */
  async capture(names: readonly string[]): Promise<Map<string, string>> {
    if (names.length === 0) return new Map();
    const r = await this.client.run(chain(names.flatMap((n) => [['display-message', '-p', '-t', paneTarget(n), `${CAPTURE_MARK}${n}`], ['capture-pane', '-p', '-t', paneTarget(n)]])));
    if (r.exitCode === 0) return splitCaptures(r.stdout);
    const out = new Map<string, string>();
    for (const n of names) {
      const one = await this.client.run(['capture-pane', '-p', '-t', paneTarget(n)]);
      if (one.exitCode === 0) out.set(n, one.stdout);
    }
    return out;
  }

  async sendKeys(name: string, steps: readonly KeyStep[]): Promise<void> {
    if (steps.length === 0) return;
    const cmds = steps.map((s) => ('text' in s ? ['send-keys', '-t', paneTarget(name), '-l', '--', s.text] : ['send-keys', '-t', paneTarget(name), s.key]));
    const r = await this.client.run(chain(cmds));
    if (r.exitCode !== 0) throw new RuntimeError(`cannot type into "${name}": ${r.stderr.trim()}`, { runtime: 'tmux', stderr: r.stderr });
  }

  async sweep(): Promise<void> {
    await sweepLaunchFiles(this.o.machine.files, this.exits.dir, await this.exits.list());
  }

  /** Only for a server on this machine: a remote one is checked by its observation. */
  get serverAlive(): (() => Promise<boolean>) | undefined {
    if (this.o.machine.name !== 'local') return undefined;
    const path = socketPath(this.o.socket);
    return () => serverAnswers(path);
  }

  async attach(name: string): Promise<number> {
    if (this.o.machine.name !== 'local') throw new RuntimeError('attach to a remote tmux agent goes through ssh -t (not wired yet)', { runtime: 'tmux' });
    const env = { ...process.env };
    delete env.TMUX; // attaching from inside another tmux would otherwise be refused
    const r = await execa('tmux', ['-L', this.o.socket, 'attach-session', '-t', sessionTarget(name)], { stdio: 'inherit', reject: false, env, extendEnv: false });
    return r.exitCode ?? 1;
  }
}
