// The OpenSSH command lines and the generated ssh_config for one Host (pure argv and text builders).
//
// Options that must also reach the jump hops (identity, known_hosts, BatchMode, timeouts) go in a
// config file read with `-F`: ssh passes `-F FILE` on to the `ssh -W` it runs for each ProxyJump
// hop, and passes nothing else. Options for the target alone (port, user, jump chain, control
// socket) go on the command line, which wins over any config.
import { createHash } from 'node:crypto';
import type { SshTarget } from '../spec/schema.js';
import { SSH_HOST_PATTERN, SSH_JUMP_PATTERN, SSH_USER_PATTERN } from '../spec/ssh-patterns.js';
import { expandHome } from '../util/paths.js';

export interface SshTuning {
  /** The master sends a keepalive after this much silence and gives up after CountMax misses. */
  serverAliveIntervalSeconds: number;
  serverAliveCountMax: number;
  /** An idle master exits after this long. */
  controlPersistSeconds: number;
}

export const DEFAULT_TUNING: SshTuning = {
  serverAliveIntervalSeconds: 10,
  serverAliveCountMax: 3,
  controlPersistSeconds: 600,
};

/** Where one Host's connection lives: its config file and its master's socket. */
export interface SshPaths {
  configFile: string;
  controlPath: string;
}

/** Linux's sun_path holds 108 bytes, and ssh binds the master first at `PATH.` plus 16
 * random characters before renaming it into place. */
export const MAX_CONTROL_PATH_BYTES = 90;
/** ssh runs each ProxyJump hop through a shell with `-F FILE` unquoted. */
const SHELL_SAFE_PATH = /^[A-Za-z0-9_@%+:,./-]+$/;

export class SshConfigError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'SshConfigError';
  }
}

/** A short, stable name for a connection: the same parameters share one master, and a master
 * left over from different parameters (an edited Host, other keepalives) is never reused. */
export function connectionKey(t: SshTarget, tuning: SshTuning = DEFAULT_TUNING): string {
  const params = [
    t.host,
    t.port,
    t.user ?? '',
    t.identityFile ?? '',
    t.jump.join(','),
    t.knownHostsFile ?? '',
    t.strictHostKeyChecking,
    t.connectTimeoutSeconds,
    tuning,
  ];
  return `c-${createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 12)}`;
}

export function sshPaths(dir: string, t: SshTarget, tuning: SshTuning = DEFAULT_TUNING): SshPaths {
  const key = connectionKey(t, tuning);
  const paths = { configFile: `${dir}/${key}.conf`, controlPath: `${dir}/${key}` };
  if (Buffer.byteLength(paths.controlPath) > MAX_CONTROL_PATH_BYTES) {
    throw new SshConfigError(
      `the ssh control socket path ${paths.controlPath} is ${Buffer.byteLength(paths.controlPath)} bytes; unix sockets allow ${MAX_CONTROL_PATH_BYTES} here: use a shorter --state folder`,
      'state',
    );
  }
  if (t.jump.length > 0 && !SHELL_SAFE_PATH.test(paths.configFile)) {
    throw new SshConfigError(
      `a Host with a jump chain needs a state folder path of plain characters (letters, digits, ./-_): ${dir}`,
      'state',
    );
  }
  return paths;
}

/** Re-checks what the schema checks, for targets built in code: these strings reach ssh's
 * command line and, for jump hops, a local shell. */
export function assertSafeTarget(t: SshTarget): void {
  if (!SSH_HOST_PATTERN.test(t.host))
    throw new SshConfigError(`not a valid ssh host: ${JSON.stringify(t.host)}`, 'spec.ssh.host');
  if (t.user !== undefined && !SSH_USER_PATTERN.test(t.user))
    throw new SshConfigError(`not a valid ssh user: ${JSON.stringify(t.user)}`, 'spec.ssh.user');
  t.jump.forEach((j, i) => {
    if (!SSH_JUMP_PATTERN.test(j))
      throw new SshConfigError(`not a valid jump host: ${JSON.stringify(j)}`, `spec.ssh.jump[${i}]`);
  });
}

/** ssh expands %-tokens in paths it is given; a literal % is written %%. */
const percent = (p: string): string => p.replaceAll('%', '%%');

/** A path as an ssh_config value: %-escaped, double-quoted (ssh_config's only quoting). */
function configPath(path: string, field: string): string {
  if (/["\n\r\0]/.test(path))
    throw new SshConfigError(`a path for ssh must not contain quotes or newlines: ${JSON.stringify(path)}`, field);
  return `"${percent(path)}"`;
}

/** The config file for one Host, read with -F. Ours come first (first value wins in
 * ssh_config); the user's ~/.ssh/config is included after, for jump aliases and the like. */
export function sshConfigText(t: SshTarget, tuning: SshTuning, home: string): string {
  const lines = [
    '# Written by agentctl; read with ssh -F. Edits are overwritten.',
    'Host *',
    '  BatchMode yes',
    `  StrictHostKeyChecking ${t.strictHostKeyChecking}`,
    `  ConnectTimeout ${Math.max(1, Math.ceil(t.connectTimeoutSeconds))}`,
    `  ServerAliveInterval ${tuning.serverAliveIntervalSeconds}`,
    `  ServerAliveCountMax ${tuning.serverAliveCountMax}`,
    // INFO, not ERROR: a jump hop's "connect to host ...: Connection refused" is logged at INFO.
    '  LogLevel INFO',
    '  RequestTTY no',
  ];
  if (t.knownHostsFile)
    lines.push(`  UserKnownHostsFile ${configPath(expandHome(t.knownHostsFile, home), 'spec.ssh.knownHostsFile')}`);
  if (t.identityFile) {
    lines.push(
      `  IdentityFile ${configPath(expandHome(t.identityFile, home), 'spec.ssh.identityFile')}`,
      '  IdentitiesOnly yes',
    );
  }
  lines.push('Include ~/.ssh/config', '');
  return lines.join('\n');
}

/** The options every invocation for this Host shares, up to and including the destination. */
function common(t: SshTarget, p: SshPaths, controlPath = percent(p.controlPath)): string[] {
  assertSafeTarget(t);
  return [
    '-F',
    p.configFile,
    '-S',
    controlPath,
    '-p',
    String(t.port),
    ...(t.user ? ['-l', t.user] : []),
    ...(t.jump.length > 0 ? ['-J', t.jump.join(',')] : []),
  ];
}

/** Starts the master: authenticates, then goes to the background (-f) holding the connection. */
export function masterArgv(t: SshTarget, p: SshPaths, tuning: SshTuning): string[] {
  return [...common(t, p), '-M', '-N', '-f', '-o', `ControlPersist=${tuning.controlPersistSeconds}`, '--', t.host];
}

/** One command over the master. ControlMaster=no: a client never becomes a master itself.
 * ProxyCommand=false (and no -J): when the master is gone, ssh would quietly open a connection
 * of its own and, if the master died after taking the request, could run the command twice;
 * this way it fails instead. LogLevel ERROR: none of ssh's chatter mixes into the program's stderr. */
export function clientArgv(t: SshTarget, p: SshPaths, remoteCommand: string): string[] {
  assertSafeTarget(t);
  const noJump = { ...t, jump: [] };
  return [
    ...common(noJump, p),
    '-o',
    'ControlMaster=no',
    '-o',
    'ProxyCommand=false',
    '-o',
    'LogLevel=ERROR',
    '-T',
    '--',
    t.host,
    remoteCommand,
  ];
}

/** A command with the caller's terminal (attach): like a client, with a tty (-t). */
export function interactiveArgv(t: SshTarget, p: SshPaths, remoteCommand: string): string[] {
  return clientArgv(t, p, remoteCommand).map((a) => (a === '-T' ? '-t' : a));
}

/** A plain connection that runs `true`, to learn why a master behind a jump chain failed: with
 * ControlPersist set, ssh sends the hops' stderr (where "Connection refused" is) to /dev/null. */
export function probeArgv(t: SshTarget, p: SshPaths): string[] {
  return [...common(t, p, 'none'), '-T', '--', t.host, 'true'];
}

/** Asks the master something (`check`: is it alive; `exit`: close it now). */
export function controlArgv(t: SshTarget, p: SshPaths, op: 'check' | 'exit'): string[] {
  return [...common(t, p), '-O', op, '--', t.host];
}
