// Throwaway "hosts" for tests: an sshd per loopback address, each with its own unix user, home and keys.
//
// Every address in 127.0.0.0/8 is this machine, so an sshd on 127.0.x.y with its own user looks
// like a separate machine: its own home, files and tmux server. Addresses and ports are random
// (test files run in parallel) and a clash is retried. The pool records its owner's pid, and a
// pool whose owner died (a crashed test run) is swept by the next one. Needs root and
// openssh-server (see recipes/README.md).
import { execa } from 'execa';
import { randomBytes, randomInt } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { SshTarget } from '../../src/spec/schema.js';
import { descendants, isAlive, killUserProcesses, processesOf, signalAll } from './procs.js';
import { removeTree } from './remove-tree.js';

export interface HostOptions {
  /** The user's PATH holds the usual tools but not tmux. */
  withoutTmux?: boolean;
}

export interface TestHost {
  name: string;
  address: string;
  port: number;
  user: string;
  uid: number;
  home: string;
  /** The target as a Host spec would give it: the pool's key and known_hosts. */
  ssh: SshTarget;
  /** This host as a jump hop: `user@address:port`. */
  hop: string;
  /** SIGSTOP the sshd and its sessions: connections are accepted by the kernel, then silence. */
  hang(): void;
  resume(): void;
  /** Kill the sshd and its sessions: connections are refused. */
  refuse(): Promise<void>;
  /** Start the sshd again, same address, port and host key. */
  restart(): Promise<void>;
  /** Pids of every process running as this host's user. */
  pids(): number[];
}

const TOOLS = [
  'sh',
  'env',
  'cat',
  'head',
  'tail',
  'mv',
  'rm',
  'mkdir',
  'sync',
  'stat',
  'base64',
  'df',
  'ls',
  'sleep',
  'id',
  'true',
  'chmod',
  'printf',
  'wc',
];
const POOL_PREFIX = 'agentctl-sshd-';

async function sh(file: string, args: string[], retries = 0): Promise<void> {
  for (let i = 0; ; i++) {
    const r = await execa(file, args, { reject: false, timeout: 30_000 });
    if (r.exitCode === 0) return;
    // useradd and userdel lock /etc/passwd: parallel test files take turns.
    if (i >= retries) throw new Error(`${file} ${args.join(' ')} failed: ${String(r.stderr)}`);
    await new Promise((res) => setTimeout(res, 100 + randomInt(200)));
  }
}

export class SshdPool {
  readonly identityFile: string;
  readonly knownHostsFile: string;
  private readonly hosts: { user: string; sshd?: number; stop: () => Promise<void> }[] = [];
  private cleaned = false;

  private constructor(readonly dir: string) {
    this.identityFile = join(dir, 'id_ed25519');
    this.knownHostsFile = join(dir, 'known_hosts');
  }

  static async create(): Promise<SshdPool> {
    await sweepStale();
    const pool = new SshdPool(mkdtempSync(join('/tmp', POOL_PREFIX)));
    writeFileSync(join(pool.dir, 'owner'), String(process.pid));
    writeFileSync(pool.knownHostsFile, '');
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    await sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', pool.identityFile]);
    return pool;
  }

  async host(name: string, options: HostOptions = {}): Promise<TestHost> {
    const user = `agt${randomBytes(4).toString('hex')}`;
    appendFileSync(join(this.dir, 'users'), `${user}\n`);
    await sh('useradd', ['-m', '-s', '/bin/sh', user], 20);
    await sh('usermod', ['-p', '*', user], 20);
    const { stdout } = await execa('getent', ['passwd', user]);
    const [, , uid, gid, , home] = stdout.split(':');
    const ssh = join(home!, '.ssh');
    mkdirSync(ssh, { mode: 0o700 });
    writeFileSync(join(ssh, 'authorized_keys'), readFileSync(`${this.identityFile}.pub`), { mode: 0o600 });
    let path: string | undefined;
    if (options.withoutTmux) {
      path = join(home!, 'bin');
      mkdirSync(path);
      for (const t of TOOLS) symlinkSync(`/usr/bin/${t}`, join(path, t));
    }
    await sh('chown', ['-R', `${uid}:${gid}`, home!]);

    const dir = join(this.dir, user);
    mkdirSync(dir);
    await sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
    let address = '';
    let port = 0;
    let sshd: number | undefined;
    const start = async (): Promise<boolean> => {
      const config = join(dir, 'sshd_config');
      writeFileSync(config, sshdConfig(dir, address, port, user, path));
      const child = execa('/usr/sbin/sshd', ['-D', '-f', config, '-E', join(dir, 'log')], {
        detached: true,
        stdio: 'ignore',
        reject: false,
      });
      child.catch(() => undefined);
      child.unref();
      sshd = child.pid;
      for (let i = 0; i < 100; i++) {
        const scan = await execa('ssh-keyscan', ['-T', '2', '-t', 'ed25519', '-p', String(port), address], {
          reject: false,
        });
        if (scan.exitCode === 0 && String(scan.stdout).includes('ssh-ed25519'))
          return (appendFileSync(this.knownHostsFile, `${scan.stdout}\n`), true);
        if (sshd === undefined || !isAlive(sshd)) return false;
        await new Promise((res) => setTimeout(res, 50));
      }
      throw new Error(`sshd on ${address}:${port} did not answer: ${readFileSync(join(dir, 'log'), 'utf8')}`);
    };
    for (let attempt = 0; ; attempt++) {
      address = `127.0.${randomInt(0, 256)}.${randomInt(2, 255)}`;
      port = randomInt(20_000, 60_000);
      if (await start()) break;
      if (attempt >= 5) throw new Error(`no sshd could bind: ${readFileSync(join(dir, 'log'), 'utf8')}`);
    }
    const tree = (): number[] => (sshd === undefined ? [] : [sshd, ...descendants(sshd)]);
    const stop = async (): Promise<void> => {
      signalAll(tree(), 'SIGCONT');
      signalAll(tree(), 'SIGKILL');
      sshd = undefined;
    };
    const entry = { user, stop };
    this.hosts.push(entry);
    return {
      name,
      address,
      port,
      user,
      uid: Number(uid),
      home: home!,
      ssh: SshTarget.parse({
        host: address,
        port,
        user,
        identityFile: this.identityFile,
        knownHostsFile: this.knownHostsFile,
        connectTimeoutSeconds: 3,
      }),
      hop: `${user}@${address}:${port}`,
      hang: () => signalAll(tree(), 'SIGSTOP'),
      resume: () => signalAll(tree(), 'SIGCONT'),
      refuse: stop,
      restart: async () => {
        if (!(await start())) throw new Error(`sshd on ${address}:${port} could not start again`);
      },
      pids: () => processesOf(Number(uid)),
    };
  }

  /** Kills every sshd and process of the pool's users, removes the users, homes and files. */
  async cleanup(): Promise<void> {
    if (this.cleaned) return;
    this.cleaned = true;
    for (const h of this.hosts) await h.stop();
    await removePool(this.dir);
  }
}

function sshdConfig(dir: string, address: string, port: number, user: string, path?: string): string {
  return [
    `ListenAddress ${address}:${port}`,
    `HostKey ${join(dir, 'host_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    'AuthorizedKeysFile .ssh/authorized_keys',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    `AllowUsers ${user}`,
    'MaxStartups 100',
    'MaxSessions 20',
    ...(path ? [`SetEnv PATH=${path}`] : []),
    '',
  ].join('\n');
}

async function removePool(dir: string): Promise<void> {
  const usersFile = join(dir, 'users');
  const users = existsSync(usersFile) ? readFileSync(usersFile, 'utf8').split('\n').filter(Boolean) : [];
  for (const user of users) {
    const pidFile = join(dir, user, 'sshd.pid');
    const sshd = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : NaN;
    if (Number.isInteger(sshd) && isAlive(sshd) && readFileSync(`/proc/${sshd}/cmdline`, 'utf8').includes(dir)) {
      signalAll([sshd, ...descendants(sshd)], 'SIGCONT');
      signalAll([sshd, ...descendants(sshd)], 'SIGKILL');
    }
    const r = await execa('id', ['-u', user], { reject: false });
    if (r.exitCode !== 0) continue;
    await killUserProcesses(Number(r.stdout));
    await sh('userdel', ['-r', '-f', user], 20).catch(() => undefined);
  }
  removeTree(dir);
}

/** Pools left by test processes that died before their cleanup. */
async function sweepStale(): Promise<void> {
  for (const name of readdirSync('/tmp').filter((n) => n.startsWith(POOL_PREFIX))) {
    const dir = join('/tmp', name);
    const owner = Number(existsSync(join(dir, 'owner')) ? readFileSync(join(dir, 'owner'), 'utf8') : NaN);
    if (Number.isInteger(owner) && !isAlive(owner)) await removePool(dir);
  }
}

/** One pool per test file: created before its tests, removed after them. */
export function useSshd(): { pool: SshdPool } {
  const env = {} as { pool: SshdPool };
  beforeAll(async () => {
    env.pool = await SshdPool.create();
  });
  afterAll(async () => {
    await env.pool?.cleanup();
  });
  return env;
}
