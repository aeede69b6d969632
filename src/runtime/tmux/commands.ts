// tmux argv builders and output parsers (pure): chained commands, escaping, list-sessions parsing.
import type { StartRequest } from '../types.js';
import { EXIT_WRAPPER } from '../exit-status.js';

export const OPTION_HASH = '@agentctl-hash';
export const OPTION_OWNER = '@agentctl-owner';

const FIELDS = [
  '#{session_name}',
  '#{session_id}',
  '#{session_created}',
  `#{${OPTION_HASH}}`,
  `#{${OPTION_OWNER}}`,
  '#{window_name}',
  '#{pane_pid}',
  '#{pane_dead}',
  '#{pane_dead_status}',
];
export const LIST_FORMAT = FIELDS.join('\t');

/**
 * tmux splits a command list at any argument that ends in ";" (and turns a trailing "\;" into
 * ";"). An argument of ours that ends in ";" is therefore sent with that ";" escaped, so it
 * arrives intact and can never end one command and start another.
 */
export function tmuxArg(arg: string): string {
  return arg.endsWith(';') ? `${arg.slice(0, -1)}\\;` : arg;
}

/** tmux expands formats in a start directory: `#` must be doubled to stay literal. */
export function tmuxDirectory(dir: string): string {
  return dir.replaceAll('#', '##');
}

/** Exact-match targets: a bare name would also match a session whose name starts with it. */
export const sessionTarget = (name: string): string => `=${name}`;
export const paneTarget = (name: string): string => `=${name}:`;

export interface StartPlan {
  request: StartRequest;
  token: string;
  exitFile: string;
}

/** The commands that start one agent: the session, then the marks that make it ours.
 * In tmux 3.3 every set-option walks all sessions and windows (status cache, sizes), so each
 * mark costs time in proportion to the fleet: only the two marks of the contract are options.
 * The start token (this incarnation's handle, naming its exit file) rides in the window name,
 * which new-session sets for free and which stays put (-n turns automatic-rename off). */
export function startCommands(p: StartPlan, owner: string): string[][] {
  const { request: r } = p;
  const env = Object.entries(r.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  return [
    [
      'new-session', '-d', '-s', r.name, '-n', p.token, '-x', '200', '-y', '50',
      '-c', tmuxDirectory(r.workdir), ...env,
      '--', '/bin/sh', '-c', EXIT_WRAPPER, p.exitFile, ...r.argv,
    ],
    ['set-option', '-t', paneTarget(r.name), OPTION_HASH, r.hash],
    ['set-option', '-t', paneTarget(r.name), OPTION_OWNER, owner],
  ];
}

/** Start tokens: a base-36 timestamp and random hex, never a name a user would give a window. */
export const TOKEN_PATTERN = /^[0-9a-z]{12,20}$/;

/** Options set before every batch of starts: keep a dead pane (so its exit and last output can
 * be read) and a deep scrollback for `logs`. `start-server` lets them run before the first
 * session exists. The first client's argv becomes the server's command line for good, which is
 * one reason why starts go through a file and never through argv: env values stay out of `ps`. */
export const SERVER_SETUP: string[][] = [
  ['start-server'],
  ['set-option', '-g', 'remain-on-exit', 'on'],
  ['set-option', '-g', 'history-limit', '10000'],
];

/** Quotes a word for tmux's configuration language: single quotes keep everything literal
 * (formats, $VAR, ~, ;, braces, newlines); a quote inside is closed, escaped and reopened. */
export function tmuxQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** One line of a file for `source-file`: the commands chained with `;`, so a failing command
 * (duplicate session) skips the rest of its own line (the marks) but not the lines after it. */
export function sourceLine(commands: readonly (readonly string[])[]): string {
  return commands.map((c) => [c[0]!, ...c.slice(1).map(tmuxQuote)].join(' ')).join(' ; ');
}

/** Joins commands into one tmux argv: `cmd1 ; cmd2 ; ...`, escaping every argument. */
export function chain(commands: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  commands.forEach((cmd, i) => {
    if (i > 0) out.push(';');
    out.push(cmd[0]!, ...cmd.slice(1).map(tmuxArg));
  });
  return out;
}

export interface SessionRow {
  name: string;
  id: string;
  createdAt: number;
  hash: string | null;
  owner: string | null;
  token: string | null;
  pid: number | null;
  dead: boolean;
  deadStatus: number | null;
}

const orNull = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);
const intOrNull = (s: string | undefined): number | null => (s && /^\d+$/.test(s) ? Number(s) : null);

export function parseSessions(stdout: string): SessionRow[] {
  const rows: SessionRow[] = [];
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const f = line.split('\t');
    if (f.length < FIELDS.length) continue;
    rows.push({
      name: f[0]!,
      id: f[1]!,
      createdAt: (intOrNull(f[2]) ?? 0) * 1000,
      hash: orNull(f[3]),
      owner: orNull(f[4]),
      token: f[5] && TOKEN_PATTERN.test(f[5]) ? f[5] : null,
      pid: intOrNull(f[6]),
      dead: f[7] === '1',
      deadStatus: intOrNull(f[8]),
    });
  }
  return rows;
}

/** True when tmux's stderr says there is simply no server on the socket yet. */
export function isNoServer(stderr: string): boolean {
  return /no server running|error connecting to|No such file or directory/.test(stderr);
}

/** Names of sessions that a failing chain reports as already existing. */
export function duplicateSession(stderr: string): string | null {
  return /duplicate session: (\S+)/.exec(stderr)?.[1] ?? null;
}

/** The last `lines` lines of a captured pane: trailing blank screen rows dropped, and the blank
 * rows between a dead pane's last output and tmux's "Pane is dead" notice (printed on the
 * bottom row) closed up. */
export function tidyCapture(text: string, lines: number): string {
  const all = text.split('\n').map((l) => l.trimEnd());
  const trimTail = (a: string[]): void => {
    while (a.length > 0 && a.at(-1) === '') a.pop();
  };
  trimTail(all);
  const notice = all.length > 0 && /^Pane is dead/.test(all.at(-1)!) ? all.pop()! : undefined;
  trimTail(all);
  if (notice) all.push(notice);
  const out = all.slice(Math.max(0, all.length - lines));
  return out.length ? `${out.join('\n')}\n` : '';
}
