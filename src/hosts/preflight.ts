// Preflight of a remote host: reachable over ssh, tmux (and Slurm) present, disk free where agents work.
//
// One ssh call asks everything (preflight-checks.ts). HostPreflight remembers the report and runs
// again only when the executor has made a new connection since (a reconnect may land on a
// rebuilt machine), or when asked to.
import type { Machine } from '../exec/executor.js';
import { HostUnreachableError } from '../exec/ssh-errors.js';
import { expandHome } from '../util/paths.js';
import {
  parsePreflight,
  PREFLIGHT_SCRIPT,
  preflightChecks,
  tmuxVersion,
  type PreflightCheck,
} from './preflight-checks.js';

export interface PreflightOptions {
  /** Workdirs of the agents on this host, as in their specs (`~` is the host user's home). */
  workdirs: readonly string[];
  needTmux: boolean;
  needSlurm?: boolean;
  minFreeBytes?: number;
  timeoutMs?: number;
}

export interface PreflightReport {
  host: string;
  ok: boolean;
  /** Epoch milliseconds. */
  at: number;
  /** Round trip of the preflight call; absent when the host was not reached. */
  latencyMs?: number;
  /** `tmux -V` there, e.g. `tmux 3.3a`. */
  tmuxVersion?: string;
  checks: PreflightCheck[];
}

export async function runPreflight(machine: Machine, o: PreflightOptions): Promise<PreflightReport> {
  const at = Date.now();
  const workdirs = o.workdirs.map((w) => expandHome(w, machine.home));
  let stdout: string;
  let latencyMs: number;
  try {
    const r = await machine.exec.run('/bin/sh', ['-c', PREFLIGHT_SCRIPT, 'preflight', ...workdirs], {
      timeoutMs: o.timeoutMs ?? 30_000,
    });
    latencyMs = Date.now() - at;
    if (r.exitCode !== 0) {
      const message = `preflight script failed on ${machine.name}: ${r.timedOut ? 'timed out' : r.stderr.trim() || `exit code ${r.exitCode}`}`;
      return {
        host: machine.name,
        ok: false,
        at,
        latencyMs,
        checks: [
          {
            name: 'ssh',
            ok: false,
            message,
            fix: `check that /bin/sh, df and tail work for the ssh user on ${machine.name}`,
          },
        ],
      };
    }
    stdout = r.stdout;
  } catch (err) {
    if (!(err instanceof HostUnreachableError)) throw err;
    return {
      host: machine.name,
      ok: false,
      at,
      checks: [{ name: 'ssh', ok: false, message: err.message, fix: err.fix }],
    };
  }
  const answer = parsePreflight(stdout);
  const checks: PreflightCheck[] = [
    { name: 'ssh', ok: true, message: `reachable in ${latencyMs} ms` },
    ...preflightChecks(answer, {
      host: machine.name,
      workdirs,
      needTmux: o.needTmux,
      needSlurm: o.needSlurm ?? false,
      ...(o.minFreeBytes !== undefined ? { minFreeBytes: o.minFreeBytes } : {}),
    }),
  ];
  return {
    host: machine.name,
    ok: checks.every((c) => c.ok),
    at,
    latencyMs,
    ...(tmuxVersion(answer.tmux) ? { tmuxVersion: answer.tmux } : {}),
    checks,
  };
}

/** Preflight once per connection: `current()` reruns only after the executor reconnected, or
 * after a failed report (a host that was down is checked again on the next call). */
export class HostPreflight {
  private last: { report: PreflightReport; connection: number } | null = null;

  constructor(
    private readonly machine: Machine & { exec: { readonly connections: number } },
    private readonly options: () => PreflightOptions,
  ) {}

  async current(force = false): Promise<PreflightReport> {
    const l = this.last;
    if (!force && l && l.report.ok && l.connection === this.machine.exec.connections) return l.report;
    const report = await runPreflight(this.machine, this.options());
    this.last = { report, connection: this.machine.exec.connections };
    return report;
  }
}
