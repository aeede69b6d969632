// Why ssh could not run a command on a host, read from its stderr, with a one-line fix (pure).
import type { SshTarget } from '../spec/schema.js';

export type UnreachableReason =
  | 'refused' // nothing listens on that port
  | 'timeout' // no answer to connect or banner within ConnectTimeout
  | 'hang' // connected, then silence: the command never started, or keepalives went unanswered
  | 'no-route'
  | 'dns'
  | 'host-key' // key unknown or changed: StrictHostKeyChecking refused it
  | 'auth' // the key was not accepted
  | 'lost' // an established connection dropped
  | 'unknown';

/** The program did not run on the host (or cannot be known to have run): never an exit code. */
export class HostUnreachableError extends Error {
  constructor(
    readonly host: string,
    readonly reason: UnreachableReason,
    /** One line saying what to do about it. */
    readonly fix: string,
    readonly stderr: string,
  ) {
    super(`host ${host} unreachable (${reason}): ${firstLine(stderr) || reason}`);
    this.name = 'HostUnreachableError';
  }
}

/** Where along a jump chain it failed, when ssh names the address. */
export interface FailedAt {
  host: string;
  port: number;
}

const PATTERNS: [UnreachableReason, RegExp][] = [
  [
    'host-key',
    /Host key verification failed|host key is known for|REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i,
  ],
  ['auth', /Permission denied \(|Too many authentication failures|no such identity|Load key .*: /i],
  ['dns', /Could not resolve hostname|Name or service not known|Temporary failure in name resolution/i],
  ['refused', /Connection refused/i],
  ['no-route', /No route to host|Network is unreachable/i],
  ['timeout', /Connection timed out|Operation timed out|timed out during banner exchange|port \d+ timed out/i],
  ['hang', /Timeout, server .* not responding/i],
  [
    'lost',
    /Connection closed by|Connection reset by|kex_exchange_identification|Broken pipe|mux_client_|Control socket connect|closed by remote host|client_loop|stdio forwarding failed|Shared connection to/i,
  ],
];

/** A mux client that failed before its session request reached a master (stale or missing
 * socket, failed hello): the command was never sent. After "mux_client_request_session" it may
 * have been. */
export function neverReachedMaster(stderr: string): boolean {
  return (
    !/mux_client_request_session/.test(stderr) &&
    /Control socket connect|mux_client_hello|UNKNOWN port 65535/.test(stderr)
  );
}

export interface Classified {
  reason: UnreachableReason;
  at?: FailedAt;
  changedKey: boolean;
}

/** The first reason whose pattern matches ssh's stderr; null when stderr shows no ssh failure. */
export function classifySshStderr(stderr: string): Classified | null {
  const hit = PATTERNS.find(([, re]) => re.test(stderr));
  if (!hit) return null;
  const connect = /connect to host (\S+) port (\d+)/.exec(stderr);
  const keyFor = /host key is known for (\[([^\]]+)\]:(\d+)|(\S+))/.exec(stderr);
  let at: FailedAt | undefined;
  if (connect) at = { host: connect[1]!, port: Number(connect[2]) };
  else if (keyFor) at = keyFor[2] ? { host: keyFor[2], port: Number(keyFor[3]) } : { host: keyFor[4]!, port: 22 };
  return { reason: hit[0], ...(at ? { at } : {}), changedKey: /IDENTIFICATION HAS CHANGED|has changed/i.test(stderr) };
}

export interface FixContext {
  /** The Host's name (metadata.name). */
  name: string;
  target: SshTarget;
  /** How long a connect may take, for the message. */
  connectTimeoutSeconds?: number;
}

/** One line a person can act on. */
export function unreachableFix(c: Classified, ctx: FixContext): string {
  const t = ctx.target;
  const at = c.at ?? { host: t.host, port: t.port };
  const isTarget = at.host === t.host && at.port === t.port;
  const who = isTarget ? ctx.name : `jump host ${at.host}`;
  const portFlag = at.port === 22 ? '' : `-p ${at.port} `;
  const knownHosts = t.knownHostsFile ?? '~/.ssh/known_hosts';
  const hostPort = at.port === 22 ? at.host : `[${at.host}]:${at.port}`;
  switch (c.reason) {
    case 'host-key':
      return c.changedKey
        ? `${who}'s host key changed: if that is expected, ssh-keygen -R '${hostPort}' -f ${knownHosts} && ssh-keyscan ${portFlag}${at.host} >> ${knownHosts}`
        : `add ${who}'s key to known_hosts: ssh-keyscan ${portFlag}${at.host} >> ${knownHosts}`;
    case 'auth':
      return `authorize ${t.identityFile ? `${t.identityFile}.pub` : "this controller's public key"} for ${t.user ?? 'the login user'} on ${who}: add it to ~/.ssh/authorized_keys there`;
    case 'refused':
      return isTarget && t.jump.length === 0
        ? `start sshd on ${at.host} port ${at.port}, or correct spec.ssh.host/port of Host ${ctx.name}`
        : `nothing accepts ssh at the end of the jump chain for ${ctx.name}: start its sshd, or correct spec.ssh of Host ${ctx.name}`;
    case 'timeout':
      return `${at.host} port ${at.port} did not answer within ${ctx.connectTimeoutSeconds ?? t.connectTimeoutSeconds}s: check that ${who} is up and reachable from here`;
    case 'hang':
      return `${ctx.name} stopped answering mid-connection: check the machine; agentctl reconnects when it answers again`;
    case 'no-route':
      return `no network route to ${at.host}: check the network, or spec.ssh.host of Host ${ctx.name}`;
    case 'dns':
      return `cannot resolve ${at.host}: correct spec.ssh.host (or jump) of Host ${ctx.name}`;
    case 'lost':
      return `the connection to ${ctx.name} dropped; agentctl reconnects on the next call`;
    default:
      return `ssh to ${ctx.name} failed; try: ssh ${portFlag}${t.user ? `${t.user}@` : ''}${t.host} true`;
  }
}

export function unreachable(c: Classified, ctx: FixContext, stderr: string): HostUnreachableError {
  return new HostUnreachableError(ctx.name, c.reason, unreachableFix(c, ctx), stderr);
}

function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  );
}
