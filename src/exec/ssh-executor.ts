// An Executor on another machine: OpenSSH's ssh, one ControlMaster connection per host, env on stdin.
//
// Each run is one `ssh` client over the host's master (started on first use, again after it
// went away: `connections` counts them, so preflight can run again after a reconnect). The
// remote command is a fixed prologue plus the quoted argv (remote-command.ts); env and cwd travel
// on stdin ahead of the input. Outcomes:
// - the prologue's ready mark never arrived: our command did not run there, whatever ssh's exit
//   code: HostUnreachableError (refused, timeout, hang, host key, auth, ...), with a fix line;
// - it arrived: the exit code is the program's, except a 255 with ssh's own complaint on stderr
//   while the master is gone (the connection dropped mid-command): HostUnreachableError `lost`.
// A client never connects on its own (ProxyCommand=false, see ssh-options.ts): when the master
// is gone it fails, and a call that never reached a master is retried once over a new one.
// A deadline is hard: the client is killed and its pipes closed (bounded-spawn.ts); a deadline
// passed before the ready mark closes the master too, so the next call reconnects (and fails
// fast, within ConnectTimeout, while the host stays down).
import { execa } from 'execa';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import type { SshTarget } from '../spec/schema.js';
import { writeFileAtomicSync } from './local.js';
import type { ExecOptions, ExecResult, Executor } from './executor.js';
import { boundedSpawn, type BoundedResult } from './bounded-spawn.js';
import { remoteCommand, splitMarks, stdinHeader } from './remote-command.js';
import type { HostUnreachableError } from './ssh-errors.js';
import {
  classifySshStderr,
  neverReachedMaster,
  unreachable,
  type Classified,
  type UnreachableReason,
} from './ssh-errors.js';
import {
  clientArgv,
  controlArgv,
  DEFAULT_TUNING,
  interactiveArgv,
  masterArgv,
  probeArgv,
  sshConfigText,
  sshPaths,
  type SshPaths,
  type SshTuning,
} from './ssh-options.js';
import { shellQuoteArgv } from './shell-quote.js';
import { Slots } from './slots.js';

export interface SshExecutorOptions {
  /** The Host's name: the executor's target, and the name in errors and fix lines. */
  name: string;
  ssh: SshTarget;
  /** Folder for the control socket and config (e.g. `<state>/ssh`): keep the path short. */
  dir: string;
  /** The controller's home, for `~` in identityFile and knownHostsFile. */
  home: string;
  tuning?: Partial<SshTuning>;
  defaultTimeoutMs?: number;
  /** Clients at once over the master; sshd refuses more than MaxSessions (default 10). */
  maxSessions?: number;
}

export interface SshStats {
  masters: number;
  clients: number;
  controls: number;
}

export class SshExecutor implements Executor {
  readonly target: string;
  private readonly paths: SshPaths;
  private readonly tuning: SshTuning;
  private readonly slots: Slots;
  private readonly env: Record<string, string | undefined>;
  private up = false;
  private starting: Promise<void> | null = null;
  private closed = false;
  private readonly counts: SshStats = { masters: 0, clients: 0, controls: 0 };
  private established = 0;

  constructor(private readonly o: SshExecutorOptions) {
    this.target = o.name;
    this.tuning = { ...DEFAULT_TUNING, ...o.tuning };
    this.paths = sshPaths(o.dir, o.ssh, this.tuning);
    this.slots = new Slots(o.maxSessions ?? 8);
    // ssh runs ProxyJump hops through $SHELL: make that a POSIX shell whatever the service has.
    this.env = { ...process.env, SHELL: '/bin/sh' };
  }

  /** Masters established so far: a change means the host was (re)connected. */
  get connections(): number {
    return this.established;
  }

  get spawned(): number {
    return this.counts.masters + this.counts.clients + this.counts.controls;
  }

  /** Processes started, by kind (masters includes attempts that failed). */
  get stats(): SshStats {
    return { ...this.counts };
  }

  async run(file: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const deadline = Date.now() + (options.timeoutMs ?? this.o.defaultTimeoutMs ?? 30_000);
    const command = remoteCommand(file, args, options.env !== undefined);
    const input = stdinHeader(options) + (options.input ?? '');
    if (!(await this.slots.acquire(deadline))) {
      return {
        exitCode: 124,
        stdout: '',
        stderr: `agentctl: no free ssh session to ${this.target} before the deadline\n`,
        timedOut: true,
      };
    }
    try {
      // A second attempt only when the first never reached a master (its socket was stale or
      // gone): the command cannot have run, and the master is started afresh.
      for (let attempt = 0; ; attempt++) {
        await this.ensureMaster(deadline);
        this.counts.clients++;
        const r = await this.spawn(clientArgv(this.o.ssh, this.paths, command), deadline - Date.now(), input);
        const out = await this.outcome(r, attempt === 0 && Date.now() < deadline);
        if (out !== 'retry') return out;
      }
    } finally {
      this.slots.release();
    }
  }

  /** Runs a program with this process's terminal (`attach`): over the master with a tty, no
   * prologue (stdin is the terminal), no deadline. Resolves with its exit code. */
  async interactive(file: string, args: readonly string[]): Promise<number> {
    await this.ensureMaster(Date.now() + (this.o.ssh.jump.length + 1) * this.o.ssh.connectTimeoutSeconds * 1000 + 5000);
    this.counts.clients++;
    const argv = interactiveArgv(this.o.ssh, this.paths, `exec ${shellQuoteArgv([file, ...args])}`);
    const r = await execa('ssh', argv, { stdio: 'inherit', reject: false, env: this.env, extendEnv: false });
    return r.exitCode ?? 1;
  }

  private async outcome(r: BoundedResult, mayRetry: boolean): Promise<ExecResult | 'retry'> {
    const m = splitMarks(r.stderr);
    if (!m.ready) {
      if (r.timedOut) {
        await this.dropMaster();
        throw this.error('hang', m.stderr);
      }
      if (neverReachedMaster(m.stderr)) {
        this.up = false;
        if (mayRetry) return 'retry';
        throw this.error('lost', m.stderr);
      }
      // No ssh message at all (a mux client cut off as its master died): if the master is gone,
      // that is what happened.
      const c =
        classifySshStderr(m.stderr) ??
        ((await this.masterAlive())
          ? { reason: 'unknown' as const, changedKey: false }
          : { reason: 'lost' as const, changedKey: false });
      if (c.reason === 'lost') await this.dropMaster();
      throw this.error(c.reason, m.stderr, c);
    }
    if (r.exitCode === 255 && !r.timedOut && classifySshStderr(m.stderr) && !(await this.masterAlive())) {
      this.up = false;
      throw this.error('lost', m.stderr);
    }
    const base = { exitCode: r.exitCode, stdout: r.stdout, stderr: m.stderr, timedOut: r.timedOut };
    return m.notFound || m.noCwd ? { ...base, spawnError: 'ENOENT' } : base;
  }

  private error(
    reason: UnreachableReason,
    stderr: string,
    c: Classified = { reason, changedKey: false },
  ): HostUnreachableError {
    return unreachable(c, { name: this.target, target: this.o.ssh }, stderr);
  }

  private spawn(argv: string[], timeoutMs: number, input?: string): Promise<BoundedResult> {
    return boundedSpawn('ssh', argv, { timeoutMs, env: this.env, ...(input !== undefined ? { input } : {}) });
  }

  private async ensureMaster(deadline: number): Promise<void> {
    if (this.closed) throw new Error(`the ssh executor for ${this.target} is closed`);
    if (this.up && existsSync(this.paths.controlPath)) return;
    this.starting ??= this.startMaster(deadline).finally(() => (this.starting = null));
    await this.starting;
  }

  private async startMaster(deadline: number): Promise<void> {
    this.up = false;
    mkdirSync(this.o.dir, { recursive: true, mode: 0o700 });
    writeFileAtomicSync(this.paths.configFile, sshConfigText(this.o.ssh, this.tuning, this.o.home), 0o600);
    // A master left by an earlier controller with the same parameters is reused; a dead one's
    // socket would make the new master refuse to bind.
    if (existsSync(this.paths.controlPath) && !(await this.masterAlive()))
      rmSync(this.paths.controlPath, { force: true });
    if (!existsSync(this.paths.controlPath)) {
      this.counts.masters++;
      const hops = this.o.ssh.jump.length + 1;
      const budget = Math.min(deadline - Date.now(), hops * this.o.ssh.connectTimeoutSeconds * 1000 + 5000);
      const r = await this.spawn(masterArgv(this.o.ssh, this.paths, this.tuning), budget);
      if (r.exitCode !== 0 || !existsSync(this.paths.controlPath)) throw await this.masterError(r, budget);
    }
    this.up = true;
    this.established++;
  }

  private async masterError(r: BoundedResult, budget: number): Promise<HostUnreachableError> {
    let stderr = r.stderr;
    let c = r.timedOut ? null : classifySshStderr(stderr);
    if (this.o.ssh.jump.length > 0 && (c === null || c.reason === 'lost')) {
      this.counts.controls++;
      const probe = await this.spawn(probeArgv(this.o.ssh, this.paths), budget);
      const pc = classifySshStderr(probe.stderr);
      if (pc) [c, stderr] = [pc, probe.stderr];
    }
    c ??= { reason: r.timedOut ? 'timeout' : 'unknown', changedKey: false };
    return this.error(c.reason, stderr, c);
  }

  private async masterAlive(): Promise<boolean> {
    this.counts.controls++;
    return (await this.spawn(controlArgv(this.o.ssh, this.paths, 'check'), 5000)).exitCode === 0;
  }

  /** Closes the master now: its connection is dead or hung, and waiting for keepalives to say so
   * would leave every call in between hanging until its own deadline. */
  private async dropMaster(): Promise<void> {
    this.up = false;
    if (!existsSync(this.paths.controlPath)) return;
    this.counts.controls++;
    await this.spawn(controlArgv(this.o.ssh, this.paths, 'exit'), 5000);
  }

  /** Closes the master (`ssh -O exit`); later runs fail. */
  async close(): Promise<void> {
    this.closed = true;
    await this.starting?.catch(() => undefined);
    await this.dropMaster();
  }
}
