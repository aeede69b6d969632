// A private tmux server per measured variant: a random `-L agentctl-bench-*` socket, killed after.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseMark } from '../../src/runtime/tmux/marks.js';
import type { Cleanup } from './cleanup.js';
import { clockTicksPerSecond, cpuTicks } from './proc-stats.js';

export interface TmuxResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Where tmux puts the socket of `-L name`: $TMUX_TMPDIR (or /tmp)/tmux-UID/name. */
export function socketPath(socket: string): string {
  return join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket);
}

/** Processes whose argv holds `-L <socket>`: a tmux server keeps the argv of the client that
 * started it, so this finds a server even after its socket file is gone. The socket name is
 * random and ours alone. */
function processesOn(socket: string): number[] {
  const needle = `\0-L\0${socket}\0`;
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      if (`\0${readFileSync(`/proc/${e}/cmdline`, 'utf8')}`.includes(needle)) out.push(Number(e));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

export class BenchTmux {
  readonly socket = `agentctl-bench-${randomBytes(5).toString('hex')}`;
  private readonly undo: () => Promise<void>;

  constructor(private readonly cleanup: Cleanup) {
    this.undo = cleanup.add(`tmux server ${this.socket}`, () => this.killNow());
  }

  /** Runs one tmux client on this socket; never throws on a non-zero exit. */
  async run(args: readonly string[], timeoutMs = 120_000): Promise<TmuxResult> {
    const r = await this.cleanup.child(
      execa('tmux', ['-u', '-L', this.socket, ...args], { reject: false, timeout: timeoutMs, stdin: 'ignore' }),
    );
    return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
  }

  /** Session name → the spec hash of its mark (in the pane's start command, or the older
   * @agentctl-hash option; '' when unmarked). */
  async sessions(): Promise<Map<string, string>> {
    const r = await this.run(['list-sessions', '-F', '#{session_name}\t#{@agentctl-hash}\t#{pane_start_command}']);
    const out = new Map<string, string>();
    if (r.exitCode !== 0) return out;
    for (const line of r.stdout.split('\n')) {
      if (line === '') continue;
      const [name, legacy, ...start] = line.split('\t');
      out.set(name!, parseMark(start.join('\t'))?.hash ?? legacy ?? '');
    }
    return out;
  }

  /** CPU time (utime + stime, ms) the tmux server has used so far; NaN without a server. */
  async serverCpuMs(): Promise<number> {
    const r = await this.run(['display-message', '-p', '#{pid}']);
    const pid = Number(r.stdout.trim());
    if (r.exitCode !== 0 || !Number.isInteger(pid) || pid <= 0) return Number.NaN;
    return (cpuTicks(pid) / (await clockTicksPerSecond())) * 1000;
  }

  async count(): Promise<number> {
    return (await this.sessions()).size;
  }

  /** Kills the server (and so every session on it) and waits until it is really gone:
   * kill-server returns before the server exits. */
  kill(): Promise<void> {
    return this.undo();
  }

  private async killNow(): Promise<void> {
    await this.run(['kill-server'], 30_000);
    for (let i = 0; i < 400; i++) {
      if ((await this.run(['list-sessions'], 5_000)).exitCode !== 0) {
        // A server that a cut-short client was still starting may not answer yet: end whatever
        // still runs on this socket, then drop the socket file that tmux leaves behind.
        for (const pid of processesOn(this.socket)) {
          try {
            process.kill(pid, 'SIGTERM');
          } catch {
            /* exited meanwhile */
          }
        }
        rmSync(socketPath(this.socket), { force: true });
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`tmux server on ${this.socket} still answers 20 s after kill-server`);
  }
}
