// Remote agents in tests: Host specs for the sshd pool's hosts, and what runs there (tmux sessions as that user).
import { execa } from 'execa';
import type { CliResult, Sandbox } from './cli.js';
import { waitFor } from './cli.js';
import type { TestHost } from './sshd.js';

/** A `kind: Host` document for a pool host. */
export function hostYaml(
  name: string,
  h: TestHost,
  extra: Record<string, unknown> = {},
  ssh: Record<string, unknown> = {},
): string {
  const spec = {
    ssh: {
      host: h.address,
      port: h.port,
      user: h.user,
      identityFile: h.ssh.identityFile,
      knownHostsFile: h.ssh.knownHostsFile,
      connectTimeoutSeconds: 3,
      ...ssh,
    },
    ...extra,
  };
  return `apiVersion: agentctl/v1\nkind: Host\nmetadata:\n  name: ${name}\nspec: ${JSON.stringify(spec)}\n`;
}

/** An Agent document placed on a Host. */
export function remoteAgentYaml(
  name: string,
  host: string,
  command: string[],
  extra: Record<string, unknown> = {},
): string {
  const spec = { host, command, ...extra };
  return `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: ${name}\nspec: ${JSON.stringify(spec)}\n`;
}

export interface RemoteSession {
  pid: number;
  dead: boolean;
  window: string;
}

/** The tmux sessions of a host's user on a socket, read as root through the user's socket file. */
export async function remoteSessions(h: TestHost, socket: string): Promise<Map<string, RemoteSession>> {
  const r = await execa(
    'tmux',
    [
      '-u',
      '-S',
      `/tmp/tmux-${h.uid}/${socket}`,
      'list-sessions',
      '-F',
      '#{session_name}\t#{pane_pid}\t#{pane_dead}\t#{window_name}',
    ],
    { reject: false },
  );
  const out = new Map<string, RemoteSession>();
  if (r.exitCode !== 0) return out;
  for (const line of String(r.stdout).split('\n').filter(Boolean)) {
    const [name, pid, dead, window] = line.split('\t');
    out.set(name!, { pid: Number(pid), dead: dead === '1', window: window ?? '' });
  }
  return out;
}

export async function killRemoteTmux(h: TestHost, socket: string): Promise<void> {
  await execa('tmux', ['-S', `/tmp/tmux-${h.uid}/${socket}`, 'kill-server'], { reject: false });
}

export interface AgentItem {
  name: string;
  phase: string;
  ready: boolean;
  handle: string | null;
  restarts: number;
  host: string;
  message: string;
  conditions: { type: string; status: string; reason: string; message: string }[];
}

export async function items(sb: Sandbox): Promise<Map<string, AgentItem>> {
  const r: CliResult = await sb.run(['get', '-o', 'json']);
  return new Map((JSON.parse(r.stdout) as { items: AgentItem[] }).items.map((i) => [i.name, i]));
}

/** Waits until every named agent satisfies `pred` (as `get -o json` says). */
export async function waitAgents(
  sb: Sandbox,
  names: string[],
  pred: (i: AgentItem) => boolean,
  timeoutMs = 30_000,
): Promise<Map<string, AgentItem>> {
  return waitFor(
    async () => {
      const all = await items(sb);
      return names.every((n) => {
        const i = all.get(n);
        return i !== undefined && pred(i);
      })
        ? all
        : undefined;
    },
    timeoutMs,
    200,
  );
}
