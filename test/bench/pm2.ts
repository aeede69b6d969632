// PM2, the peer: installed from the npm registry into .bench/pm2 (not a project dependency), run
// with its own PM2_HOME, and killed (daemon and apps) afterwards.
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cleanup } from './cleanup.js';
import { AGENT_ARGV } from './spec-files.js';
import { BENCH_DIR } from './paths.js';
import { removeTree } from '../helpers/remove-tree.js';

export const PM2_VERSION = '7.0.4';
const CACHE = join(BENCH_DIR, 'pm2');
const BIN = join(CACHE, 'node_modules', 'pm2', 'bin', 'pm2');

/** Installs pm2 into the cache folder unless that version is there already. */
export async function ensurePm2(cleanup: Cleanup): Promise<string> {
  const pkg = join(CACHE, 'node_modules', 'pm2', 'package.json');
  if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version === PM2_VERSION)
    return PM2_VERSION;
  mkdirSync(CACHE, { recursive: true });
  const r = await cleanup.child(
    execa(
      'npm',
      ['install', '--prefix', CACHE, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `pm2@${PM2_VERSION}`],
      { reject: false, timeout: 300_000 },
    ),
  );
  if (r.exitCode !== 0 || !existsSync(BIN))
    throw new Error(
      `npm install pm2@${PM2_VERSION} failed: ${String(r.stderr).trim().split('\n').slice(-3).join(' ')}`,
    );
  return PM2_VERSION;
}

interface Pm2Process {
  name?: string;
  pid?: number;
  pm2_env?: { status?: string };
}

/** Field 22 of /proc/PID/stat (start time in ticks since boot): tells a pid's reuse apart. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Pids whose parent is `parent` (field 4 of /proc/PID/stat). */
function childrenOf(parent: number): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) out.push(Number(e));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

export class Pm2Home {
  readonly home: string;
  /** pid → its start time: a pid is only ever signalled while it is still that same process. */
  private readonly pids = new Map<number, string>();
  private readonly undo: () => Promise<void>;

  constructor(private readonly cleanup: Cleanup) {
    mkdirSync(BENCH_DIR, { recursive: true });
    this.home = mkdtempSync(join(BENCH_DIR, 'pm2-home-'));
    this.undo = cleanup.add(`pm2 daemon in ${this.home}`, () => this.killNow());
  }

  run(args: readonly string[], timeoutMs = 300_000): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    return this.cleanup
      .child(
        execa(process.execPath, [BIN, ...args], {
          env: { PM2_HOME: this.home },
          reject: false,
          timeout: timeoutMs,
          stdin: 'ignore',
        }),
      )
      .then((r) => ({ exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) }));
  }

  /** An ecosystem file with one app per agent: the same argv, no shell, restarted on exit. */
  writeEcosystem(names: readonly string[]): string {
    const [script, ...args] = AGENT_ARGV;
    const apps = names.map((name) => ({ name, script, args, interpreter: 'none', cwd: '/tmp', autorestart: true }));
    const file = join(this.home, 'ecosystem.json');
    writeFileSync(file, JSON.stringify({ apps }));
    return file;
  }

  /** Status of every app PM2 knows (one `pm2 jlist`); remembers pids for the cleanup. */
  async list(): Promise<Map<string, string>> {
    const r = await this.run(['jlist'], 60_000);
    const out = new Map<string, string>();
    if (r.exitCode !== 0) return out;
    const start = r.stdout.indexOf('[');
    const procs = JSON.parse(start >= 0 ? r.stdout.slice(start) : '[]') as Pm2Process[];
    for (const p of procs) {
      if (p.name) out.set(p.name, p.pm2_env?.status ?? 'unknown');
      if (p.pid) this.remember(p.pid);
    }
    return out;
  }

  private remember(pid: number): void {
    const t = startTime(pid);
    if (t !== undefined && !this.pids.has(pid)) this.pids.set(pid, t);
  }

  kill(): Promise<void> {
    return this.undo();
  }

  private daemonPid(): number | undefined {
    try {
      const n = Number(readFileSync(join(this.home, 'pm2.pid'), 'utf8').trim());
      return Number.isInteger(n) && n > 0 ? n : undefined;
    } catch {
      return undefined;
    }
  }

  /** `pm2 kill` stops the apps and the daemon; whatever of ours survives it gets SIGKILL. */
  private async killNow(): Promise<void> {
    await this.run(['kill'], 120_000);
    // A daemon that `pm2 kill` missed (e.g. one a `pm2 start` cut short by Ctrl-C was still
    // launching) is found by its pid file and its title, which names this PM2_HOME.
    const daemon = this.daemonPid();
    if (daemon !== undefined && cmdline(daemon).includes(this.home)) {
      this.remember(daemon);
      for (const pid of childrenOf(daemon)) this.remember(pid);
    }
    for (const [pid, started] of this.pids) {
      if (startTime(pid) !== started) continue; // gone, as it should be (or the pid was reused)
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* exited meanwhile */
      }
    }
    removeTree(this.home);
  }
}
