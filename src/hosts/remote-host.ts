// One Host reached over SSH: its connection, its gate, what it looks like (env, preflight, latency) and its Machine.
//
// The first call of each connection carries the "hello" (the login's env and the preflight) on
// top of whatever it asks (probe-script.ts), so a routine look at a host is one ssh client. A
// reconnect (the master's count moved) makes the next look a hello again: the machine may have
// been rebuilt. The gate (host-gate.ts) makes calls fail fast while the host is down.
import type { Logger } from 'pino';
import { randomBytes } from 'node:crypto';
import type { Executor, Machine } from '../exec/executor.js';
import { HostUnreachableError, type UnreachableReason } from '../exec/ssh-errors.js';
import { SshExecutor } from '../exec/ssh-executor.js';
import { SshFiles } from '../exec/ssh-files.js';
import type { SshTuning } from '../exec/ssh-options.js';
import { baseEnv } from '../runtime/agent-env.js';
import type { HostSpec, SshTarget } from '../spec/schema.js';
import { GatedExecutor, HostGate } from './host-gate.js';
import { parsePreflight, preflightChecks, tmuxVersion, type PreflightCheck } from './preflight-checks.js';
import { parseProbe, probeArgv, type ProbeAnswer } from './probe-script.js';
import { RemoteWorkspace } from './remote-workspace.js';

/** What `get hosts` and the agents' HostReady condition say about a host. */
export interface HostState {
  name: string;
  /** null until the first call ended. */
  reachable: boolean | null;
  reason?: UnreachableReason;
  /** One line saying what to do (unreachable, or a failed preflight check). */
  fix?: string;
  message?: string;
  latencyMs?: number;
  tmuxVersion?: string;
  checks: PreflightCheck[];
  /** Epoch ms of the last change of reachability or checks. */
  changedAt: number;
  /** Epoch ms of the last call that ended. */
  checkedAt: number;
}

export interface RemoteMachine extends Machine {
  readonly workspace: RemoteWorkspace;
  /** The login's base environment there (HOME, USER, PATH...), for agents' environments. */
  readonly env: Record<string, string>;
}

export interface RemoteHostOptions {
  name: string;
  spec: HostSpec & { ssh: SshTarget };
  /** Control sockets and ssh configs (short path). */
  sshDir: string;
  /** The controller's home, for `~` in identityFile and knownHostsFile. */
  controllerHome: string;
  /** Workdirs of the agents placed there, as in their specs (for preflight's disk check). */
  workdirs: () => readonly string[];
  needTmux: boolean;
  log: Logger;
  tuning?: Partial<SshTuning>;
  minRetryMs?: number;
  maxRetryMs?: number;
}

export interface LookOptions {
  socket?: string;
  format?: string;
  runDir?: string;
  timeoutMs?: number;
}

export class RemoteHost {
  readonly ssh: SshExecutor;
  readonly gate: HostGate;
  readonly exec: Executor;
  private hello: { home: string; env: Record<string, string>; connection: number; machine: RemoteMachine } | null =
    null;
  private helloRun: Promise<RemoteMachine> | null = null;
  private current: HostState;
  private readonly listeners = new Set<(s: HostState) => void>();

  constructor(private readonly o: RemoteHostOptions) {
    this.ssh = new SshExecutor({
      name: o.name,
      ssh: o.spec.ssh,
      dir: o.sshDir,
      home: o.controllerHome,
      ...(o.tuning ? { tuning: o.tuning } : {}),
    });
    this.gate = new HostGate({
      probe: async () => void (await this.look({}, true)),
      ...(o.minRetryMs !== undefined ? { minRetryMs: o.minRetryMs } : {}),
      ...(o.maxRetryMs !== undefined ? { maxRetryMs: o.maxRetryMs } : {}),
    });
    this.exec = new GatedExecutor(this.ssh, this.gate);
    this.current = { name: o.name, reachable: null, checks: [], changedAt: Date.now(), checkedAt: 0 };
    this.gate.onChange((up, err) => {
      if (!up && err) this.update({ reachable: false, reason: err.reason, fix: err.fix, message: err.message });
    });
  }

  get name(): string {
    return this.o.name;
  }

  get state(): HostState {
    return this.current;
  }

  /** Told when reachability, checks or tmux version change (not for latency alone). */
  onChange(fn: (s: HostState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** One call to the host: the hello when this connection has not had one, plus the tmux
   * listing when a socket is given. `bypassGate`: the gate's own probe. */
  async look(o: LookOptions, bypassGate = false): Promise<ProbeAnswer> {
    const down = this.gate.down;
    if (down && !bypassGate) throw down;
    const hello = this.hello === null || this.hello.connection !== this.ssh.connections;
    const nonce = randomBytes(8).toString('hex');
    const workdirs = hello ? [...new Set(this.o.workdirs())] : [];
    const argv = probeArgv({
      nonce,
      hello,
      socket: o.socket ?? '',
      format: o.format ?? '',
      runDir: o.runDir ?? '',
      workdirs,
    });
    const t0 = Date.now();
    let answer: ProbeAnswer;
    try {
      const r = await this.ssh.run('/bin/sh', argv, { timeoutMs: o.timeoutMs ?? 10_000 });
      answer = parseProbe(r.stdout, nonce);
      if (!answer.complete)
        throw new Error(
          `looking at ${this.o.name} failed: ${r.timedOut ? 'timed out' : r.stderr.trim() || `exit code ${r.exitCode}`}`,
        );
      answer.stderr = r.stderr;
    } catch (err) {
      if (err instanceof HostUnreachableError) this.gate.failed(err);
      throw err;
    }
    const latencyMs = Date.now() - t0;
    if (hello && answer.env?.HOME?.startsWith('/')) this.learn(answer, workdirs, latencyMs);
    else this.current = { ...this.current, latencyMs, checkedAt: Date.now() };
    this.gate.passed();
    if (this.current.reachable !== true) this.update({ reachable: true });
    return answer;
  }

  /** The Machine there, when a hello has told its home. */
  get known(): RemoteMachine | undefined {
    return this.hello?.machine;
  }

  /** The Machine there (a hello first when none was made on this connection). */
  machine(): Promise<RemoteMachine> {
    if (this.hello) return Promise.resolve(this.hello.machine);
    this.helloRun ??= this.look({})
      .then(() => {
        if (!this.hello) throw new Error(`cannot learn the home folder on ${this.o.name}`);
        return this.hello.machine;
      })
      .finally(() => (this.helloRun = null));
    return this.helloRun;
  }

  private learn(answer: ProbeAnswer, workdirs: readonly string[], latencyMs: number): void {
    const env = baseEnv(answer.env ?? {});
    const home = env.HOME!;
    const machine: RemoteMachine =
      this.hello && this.hello.home === home
        ? { ...this.hello.machine, env }
        : {
            name: this.o.name,
            exec: this.exec,
            files: new SshFiles(this.exec),
            home,
            env,
            workspace: new RemoteWorkspace(this.exec),
          };
    this.hello = { home, env, connection: this.ssh.connections, machine };
    const parsed = parsePreflight(answer.preflight ?? '');
    const checks: PreflightCheck[] = [
      { name: 'ssh', ok: true, message: `reachable in ${latencyMs} ms` },
      ...preflightChecks(parsed, {
        host: this.o.name,
        workdirs,
        needTmux: this.o.needTmux,
        needSlurm: this.o.spec.slurm,
      }),
    ];
    const failed = checks.filter((c) => !c.ok);
    if (failed.length > 0) this.o.log.warn({ host: this.o.name, checks: failed }, 'preflight found problems');
    this.update({
      reachable: true,
      checks,
      latencyMs,
      ...(tmuxVersion(parsed.tmux) ? { tmuxVersion: parsed.tmux } : {}),
    });
  }

  private update(patch: Partial<HostState>): void {
    const next: HostState = { ...this.current, ...patch, checkedAt: Date.now() };
    if (patch.reachable === true) {
      delete next.reason;
      delete next.fix;
      delete next.message;
    }
    const key = (s: HostState): string =>
      JSON.stringify([s.reachable, s.reason, s.fix, s.tmuxVersion, s.checks.map((c) => [c.name, c.ok, c.fix])]);
    const changed = key(next) !== key(this.current);
    if (changed) next.changedAt = Date.now();
    this.current = next;
    if (changed) for (const fn of this.listeners) fn(next);
  }

  async close(): Promise<void> {
    this.gate.close();
    await this.ssh.close();
  }
}
