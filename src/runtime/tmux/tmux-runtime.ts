// The tmux runtime: agents are sessions on a private socket, started and stopped in chained batches.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Exec, ExecResult } from '../../util/exec.js';
import { exitFromStatus } from '../exit-status.js';
import { readExitFile } from '../exit-file.js';
import {
  chain,
  duplicateSession,
  isNoServer,
  LIST_FORMAT,
  paneTarget,
  parseSessions,
  SERVER_SETUP,
  sessionTarget,
  sourceLine,
  startCommands,
  tidyCapture,
  type SessionRow,
  type StartPlan,
} from './commands.js';
import {
  RuntimeError,
  type BatchResult,
  type ExitInfo,
  type Observation,
  type ObservedAgent,
  type Runtime,
  type StartRequest,
  type StopRequest,
} from '../types.js';

export interface TmuxRuntimeOptions {
  socket: string;
  stateDir: string;
  owner: string;
  exec: Exec;
  log: Logger;
}

const FD_HINT =
  ' (the tmux server may have run out of open files or ptys: each session needs a pty and a few file descriptors; raise `ulimit -n` for the service that runs agentctl)';

export class TmuxRuntime implements Runtime {
  readonly name = 'tmux' as const;
  private readonly exitsDir: string;

  constructor(private readonly o: TmuxRuntimeOptions) {
    this.exitsDir = join(o.stateDir, 'run', 'tmux');
  }

  private async tmux(args: string[], timeoutMs = 30_000): Promise<ExecResult> {
    const r = await this.o.exec('tmux', ['-L', this.o.socket, ...args], { timeoutMs });
    if (r.spawnError) {
      throw new RuntimeError(`cannot run tmux (${r.spawnError}): install it, e.g. apt-get install tmux`, { runtime: 'tmux' });
    }
    return r;
  }

  private exitFile(name: string, token: string): string {
    return join(this.exitsDir, `${name}.${token}.exit`);
  }

  async listSessions(): Promise<SessionRow[]> {
    const r = await this.tmux(['list-sessions', '-F', LIST_FORMAT]);
    if (r.exitCode !== 0) {
      if (isNoServer(r.stderr)) return [];
      throw new RuntimeError(`tmux list-sessions failed: ${r.stderr.trim()}`, { runtime: 'tmux', exitCode: r.exitCode, stderr: r.stderr });
    }
    return parseSessions(r.stdout);
  }

  async observe(): Promise<Observation> {
    const takenAt = Date.now();
    // The wrapper writes the exit file a moment before its pane dies: an agent whose exit file
    // exists has exited, even if tmux still shows the pane alive. One readdir for all agents.
    const [rows, exitFiles] = await Promise.all([this.listSessions(), readdir(this.exitsDir).catch(() => [] as string[])]);
    const exited = new Set(exitFiles);
    const agents = new Map<string, ObservedAgent>();
    const foreign: string[] = [];
    await Promise.all(
      rows.map(async (row) => {
        const ours = row.owner === this.o.owner;
        if (!ours) foreign.push(row.name);
        const handle = row.token ?? row.id;
        const recorded = ours && row.token !== null && exited.has(`${row.name}.${row.token}.exit`) ? await this.readExit(row.name, row.token) : null;
        const dead = row.dead || recorded !== null;
        const agent: ObservedAgent = {
          name: row.name,
          runtime: 'tmux',
          handle,
          hash: row.hash,
          owner: row.owner,
          alive: !dead,
          startedAt: row.createdAt,
          state: dead ? 'dead' : 'running',
          ...(row.pid !== null ? { pid: row.pid } : {}),
        };
        if (dead && ours) agent.exit = recorded ?? exitFromStatus(row.deadStatus, null, takenAt);
        agents.set(row.name, agent);
      }),
    );
    return { runtime: 'tmux', takenAt, agents, foreign: foreign.sort() };
  }

  private async readExit(name: string, token: string): Promise<ExitInfo | null> {
    return readExitFile(this.exitFile(name, token));
  }

  async exitOf(name: string, handle: string | null): Promise<ExitInfo | null> {
    return handle ? this.readExit(name, handle) : null;
  }

  private async clearExitFiles(names: Set<string>): Promise<void> {
    let files: string[];
    try {
      files = await readdir(this.exitsDir);
    } catch {
      return;
    }
    await Promise.all(
      files
        .filter((f) => names.has(f.slice(0, f.indexOf('.'))))
        .map((f) => rm(join(this.exitsDir, f), { force: true })),
    );
  }

  async start(requests: StartRequest[]): Promise<BatchResult> {
    const result: BatchResult = new Map();
    if (requests.length === 0) return result;
    await mkdir(this.exitsDir, { recursive: true, mode: 0o700 });
    await this.clearExitFiles(new Set(requests.map((r) => r.name)));
    const plans: StartPlan[] = requests.map((request) => {
      const token = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
      return { request, token, exitFile: this.exitFile(request.name, token) };
    });
    // One tmux client for the whole batch: the commands go in a private file for source-file
    // (one line per agent), so argv length never limits a batch and env values never show in ps.
    const file = join(this.exitsDir, `start-${process.pid}-${randomBytes(4).toString('hex')}.conf`);
    await writeFile(file, plans.map((p) => sourceLine(startCommands(p, this.o.owner))).join('\n') + '\n', { mode: 0o600 });
    let r: ExecResult;
    try {
      r = await this.tmux(chain([...SERVER_SETUP, ['source-file', file]]), 120_000);
    } finally {
      await rm(file, { force: true });
    }
    if (r.exitCode === 0) {
      for (const p of plans) result.set(p.request.name, { handle: p.token });
      return result;
    }
    // A failing line skips only its own marks: find out which sessions carry this start's token.
    const rows = new Map((await this.listSessions()).map((s) => [s.name, s]));
    for (const p of plans) {
      const landed = rows.get(p.request.name)?.token === p.token;
      result.set(p.request.name, landed ? { handle: p.token } : { error: this.startError(p.request.name, r.stderr) });
    }
    return result;
  }

  private startError(name: string, stderr: string): RuntimeError {
    const lines = stderr.trim().split('\n');
    const msg = lines.find((l) => l.includes(` ${name}`) || l.endsWith(`:${name}`)) ?? lines[0] ?? '';
    if (duplicateSession(stderr) === name) {
      return new RuntimeError(`a tmux session named "${name}" already exists on socket ${this.o.socket} and is not ours`, { runtime: 'tmux', stderr });
    }
    const hint = /fork failed|open files|Too many|pty|No space/i.test(msg) ? FD_HINT : '';
    return new RuntimeError(`tmux new-session failed: ${msg}${hint}`, { runtime: 'tmux', stderr });
  }

  async stop(requests: StopRequest[]): Promise<BatchResult> {
    const result: BatchResult = new Map();
    if (requests.length === 0) return result;
    const signalGroup = (pid: number, sig: NodeJS.Signals): void => {
      try {
        process.kill(-pid, sig);
      } catch {
        /* already gone */
      }
    };
    // SIGTERM to each agent's process group (the pane's process leads its own group), then
    // give each its grace period, checking with one list-sessions per poll for the whole batch.
    const start = Date.now();
    const waiting = new Map<string, { pid: number; deadline: number; handle: string }>();
    for (const r of requests) {
      const o = r.observed;
      if (o?.alive && o.pid !== undefined) {
        signalGroup(o.pid, r.graceSeconds > 0 ? 'SIGTERM' : 'SIGKILL');
        if (r.graceSeconds > 0) waiting.set(r.name, { pid: o.pid, deadline: start + r.graceSeconds * 1000, handle: o.handle });
      }
    }
    let rows = await this.listSessions();
    while (waiting.size > 0) {
      const byName = new Map(rows.map((s) => [s.name, s]));
      for (const [name, w] of waiting) {
        const row = byName.get(name);
        if (!row || row.dead || (row.token ?? row.id) !== w.handle) waiting.delete(name);
        else if (Date.now() >= w.deadline) {
          this.o.log.warn({ agent: name, graceSeconds: (w.deadline - start) / 1000 }, 'agent did not exit within its grace period; killing it');
          signalGroup(w.pid, 'SIGKILL');
          waiting.delete(name);
        }
      }
      if (waiting.size === 0) break;
      await new Promise((res) => setTimeout(res, 50));
      rows = await this.listSessions();
    }
    const present = new Set(rows.map((s) => s.name));
    const toKill = requests.filter((r) => present.has(r.name)).map((r) => r.name);
    for (const r of requests) result.set(r.name, {});
    if (toKill.length > 0) {
      const k = await this.tmux(chain(toKill.map((n) => ['kill-session', '-t', sessionTarget(n)])));
      if (k.exitCode !== 0) {
        // A session vanished between list and kill and aborted the chain: kill the rest one by one.
        await Promise.all(toKill.map((n) => this.tmux(['kill-session', '-t', sessionTarget(n)])));
      }
    }
    // A process that ignores SIGHUP when its pane closes would outlive its session.
    for (const row of rows) if (!row.dead && row.pid !== null && toKill.includes(row.name)) signalGroup(row.pid, 'SIGKILL');
    return result;
  }

  async logs(name: string, lines: number): Promise<string> {
    // Capture from further back than asked: blank screen rows are dropped before counting.
    const r = await this.tmux(['capture-pane', '-p', '-J', '-S', `-${Math.max(1, lines) + 200}`, '-t', paneTarget(name)]);
    if (r.exitCode !== 0) {
      throw new RuntimeError(`no tmux session "${name}" on socket ${this.o.socket}`, { runtime: 'tmux', stderr: r.stderr });
    }
    return tidyCapture(r.stdout, lines);
  }

  async attach(name: string): Promise<number> {
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
