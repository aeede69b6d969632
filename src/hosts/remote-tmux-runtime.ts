// The tmux runtime on a Host reached over SSH: one ssh call to observe, one to start a batch, the rest as on any machine.
import { tmuxCapabilities } from '../runtime/capabilities.js';
import type { Logger } from 'pino';
import type { FileContent, HostFiles } from '../exec/executor.js';
import { ExitFiles } from '../runtime/exit-files.js';
import { TmuxClient } from '../runtime/tmux/client.js';
import { isNoServer, LIST_FORMAT, parseSessions, sessionTarget, type SessionRow } from '../runtime/tmux/commands.js';
import { observeSessions } from '../runtime/tmux/observe.js';
import { newToken, startError } from '../runtime/tmux/start.js';
import { TmuxRuntime } from '../runtime/tmux/tmux-runtime.js';
import {
  RuntimeError,
  type BatchResult,
  type ExitInfo,
  type KeyStep,
  type Observation,
  type Runtime,
  type StartRequest,
  type StopRequest,
} from '../runtime/types.js';
import type { RemoteHost, RemoteMachine } from './remote-host.js';
import { remoteStartBatch } from './tmux-start-script.js';

export interface RemoteTmuxOptions {
  host: RemoteHost;
  socket: string;
  owner: string;
  log: Logger;
}

/** The run folder of one tmux socket on a host, relative to the login's home. */
export const remoteRunDir = (socket: string): string =>
  `.local/state/agentctl/run/tmux-${socket.replace(/[^A-Za-z0-9._-]/g, '_')}`;

/** A client whose list-sessions was already answered (by the observation's one call). */
class AnsweredClient extends TmuxClient {
  constructor(
    base: TmuxClient,
    private readonly rows: SessionRow[],
  ) {
    super(base.exec, base.socket);
  }

  override listSessions(): Promise<SessionRow[]> {
    return Promise.resolve(this.rows);
  }
}

/** Files whose listing of one folder was already answered. */
function withListing(files: HostFiles, dir: string, listing: string[]): HostFiles {
  return {
    mkdir: (d, mode) => files.mkdir(d, mode),
    list: (d) => (d === dir ? Promise.resolve(listing) : files.list(d)),
    read: (paths): Promise<Map<string, FileContent>> => files.read(paths),
    write: (f, options) => files.write(f, options),
    remove: (paths) => files.remove(paths),
    tail: (path, max) => files.tail(path, max),
  };
}

export class RemoteTmuxRuntime implements Runtime {
  readonly name = 'tmux' as const;
  readonly capabilities = tmuxCapabilities;
  private inner: { home: string; rt: TmuxRuntime } | null = null;

  constructor(private readonly o: RemoteTmuxOptions) {}

  private runDir(home: string): string {
    return `${home}/${remoteRunDir(this.o.socket)}`;
  }

  /** The ordinary tmux runtime over this host's machine, for everything but observe and start. */
  private async local(): Promise<{ machine: RemoteMachine; rt: TmuxRuntime }> {
    const machine = await this.o.host.machine();
    if (this.inner?.home !== machine.home) {
      const rt = new TmuxRuntime({
        socket: this.o.socket,
        machine,
        runDir: this.runDir(machine.home),
        owner: this.o.owner,
        baseEnv: machine.env,
        log: this.o.log,
      });
      this.inner = { home: machine.home, rt };
    }
    return { machine, rt: this.inner.rt };
  }

  async observe(): Promise<Observation> {
    const a = await this.o.host.look({
      socket: this.o.socket,
      format: LIST_FORMAT,
      runDir: remoteRunDir(this.o.socket),
    });
    const { machine, rt } = await this.local();
    const tmux = a.tmux ?? { exitCode: 1, stdout: '' };
    if (tmux.exitCode === 127)
      throw new RuntimeError(`cannot run tmux on ${this.o.host.name}: install tmux there`, {
        runtime: 'tmux',
        command: 'tmux',
      });
    if (tmux.exitCode !== 0 && !isNoServer(a.stderr ?? '')) {
      throw new RuntimeError(`tmux list-sessions on ${this.o.host.name} failed: ${(a.stderr ?? '').trim()}`, {
        runtime: 'tmux',
        exitCode: tmux.exitCode,
        stderr: a.stderr ?? '',
      });
    }
    const rows = tmux.exitCode === 0 ? parseSessions(tmux.stdout) : [];
    const dir = this.runDir(machine.home);
    const exits = new ExitFiles(withListing(machine.files, dir, a.listing ?? []), dir);
    return observeSessions(new AnsweredClient(rt.client, rows), exits, this.o.owner);
  }

  async start(requests: StartRequest[]): Promise<BatchResult> {
    const result: BatchResult = new Map();
    if (requests.length === 0) return result;
    const { machine, rt } = await this.local();
    const items = requests.map((r) => ({
      name: r.name,
      token: newToken(),
      hash: r.hash,
      env: { ...machine.env, ...r.env },
      workdir: r.workdir,
      argv: r.argv,
    }));
    const batch = remoteStartBatch({
      socket: this.o.socket,
      runDir: this.runDir(machine.home),
      owner: this.o.owner,
      items,
    });
    const r = await machine.exec.run('/bin/sh', batch.argv, { input: batch.input, timeoutMs: 120_000 });
    if (r.exitCode === 0) {
      for (const it of items) result.set(it.name, { handle: it.token });
      return result;
    }
    if (r.exitCode === 127 && /tmux: not found/.test(r.stderr)) {
      for (const it of items)
        result.set(it.name, {
          error: new RuntimeError(`cannot run tmux on ${this.o.host.name}: install tmux there`, {
            runtime: 'tmux',
            command: 'tmux',
          }),
        });
      await machine.files.remove([...batch.launchFiles.values()]);
      return result;
    }
    // Which sessions carry this start's token.
    const rows = new Map((await rt.client.listSessions()).map((s) => [s.name, s]));
    const failed: string[] = [];
    for (const it of items) {
      const landed = rows.get(it.name)?.token === it.token;
      if (!landed) failed.push(batch.launchFiles.get(it.name)!);
      result.set(it.name, landed ? { handle: it.token } : { error: startError(it.name, r.stderr, this.o.socket) });
    }
    await machine.files.remove(failed);
    return result;
  }

  async stop(requests: StopRequest[]): Promise<BatchResult> {
    return (await this.local()).rt.stop(requests);
  }

  async exitOf(name: string, handle: string | null): Promise<ExitInfo | null> {
    return (await this.local()).rt.exitOf(name, handle);
  }

  async logs(name: string, lines: number): Promise<string> {
    return (await this.local()).rt.logs(name, lines);
  }

  async capture(names: readonly string[]): Promise<Map<string, string>> {
    return (await this.local()).rt.capture(names);
  }

  async sendKeys(name: string, steps: readonly KeyStep[]): Promise<void> {
    return (await this.local()).rt.sendKeys(name, steps);
  }

  async sendKeysMany(batch: ReadonlyMap<string, readonly KeyStep[]>): Promise<Map<string, Error>> {
    return (await this.local()).rt.sendKeysMany(batch);
  }

  /** `ssh -t` over the host's master, running tmux attach there. */
  async attach(name: string): Promise<number> {
    const down = this.o.host.gate.down;
    if (down) throw down;
    return this.o.host.ssh.interactive('tmux', [
      '-u',
      '-L',
      this.o.socket,
      'attach-session',
      '-t',
      sessionTarget(name),
    ]);
  }
}
