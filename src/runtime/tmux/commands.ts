// tmux argv builders and output parsers (pure): list-sessions parsing, quoting, chained commands.
import { parseMark } from './marks.js';
import { shQuote } from '../../exec/shell-quote.js';

/** Marks of sessions started by agentctl before the marks moved into the start command: still
 * read, so an upgrade recognises (and restarts) nothing. */
export const LEGACY_OPTION_HASH = '@agentctl-hash';
export const LEGACY_OPTION_OWNER = '@agentctl-owner';

const FIELDS = [
  '#{session_name}',
  '#{session_id}',
  '#{session_created}',
  `#{${LEGACY_OPTION_HASH}}`,
  `#{${LEGACY_OPTION_OWNER}}`,
  '#{window_name}',
  '#{pane_pid}',
  '#{pane_dead}',
  '#{pane_dead_status}',
  // Last: the start command is the one field that may hold a tab.
  '#{pane_start_command}',
];
export const LIST_FORMAT = FIELDS.join('\t');

/** Start tokens: a base-36 timestamp and random hex, never a name a user would give a window. */
export const TOKEN_PATTERN = /^[0-9a-z]{12,20}$/;

/**
 * tmux splits a command list at any argument that ends in ";" (and turns a trailing "\;" into
 * ";"). An argument of ours that ends in ";" is therefore sent with that ";" escaped, so it
 * arrives intact and can never end one command and start another.
 */
export function tmuxArg(arg: string): string {
  return arg.endsWith(';') ? `${arg.slice(0, -1)}\\;` : arg;
}

/** Exact-match targets: a bare name would also match a session whose name starts with it. */
export const sessionTarget = (name: string): string => `=${name}`;
export const paneTarget = (name: string): string => `=${name}:`;

/** Quotes a word for tmux's configuration language: single quotes keep everything literal
 * (formats, $VAR, ~, ;, braces); a quote inside is closed, escaped and reopened. Only for values
 * of our own making (paths, names, tokens): tmux's parser rewrites newlines, `#` lines and
 * backslash-newlines, so agent values never go this way (see launch.ts). */
export function tmuxQuote(word: string): string {
  // tmux's single quotes work as sh's do.
  return shQuote(word);
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
    const marked = parseMark(f.slice(FIELDS.length - 1).join('\t'));
    rows.push({
      name: f[0]!,
      id: f[1]!,
      createdAt: (intOrNull(f[2]) ?? 0) * 1000,
      hash: marked?.hash ?? orNull(f[3]),
      owner: marked?.owner ?? orNull(f[4]),
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

/** True when the server went away while answering: it was exiting (its last session had just
 * been killed), so asking again finds no server, or a new one. */
export function isServerGone(stderr: string): boolean {
  return /server exited unexpectedly/.test(stderr);
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

/** Precedes each screen in a batched capture; no pane line starts with it (a terminal never draws SOH). */
export const CAPTURE_MARK = '\u0001agentctl-capture:';

/** Splits the output of a batched capture (marker line, screen, marker line, screen...). */
export function splitCaptures(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | undefined;
  let lines: string[] = [];
  const flush = (): void => {
    if (name !== undefined) out.set(name, lines.length ? `${lines.join('\n')}\n` : '');
  };
  for (const line of stdout.replace(/\n$/, '').split('\n')) {
    if (line.startsWith(CAPTURE_MARK)) {
      flush();
      name = line.slice(CAPTURE_MARK.length);
      lines = [];
    } else if (name !== undefined) lines.push(line);
  }
  flush();
  return out;
}

/** Variable names of `show-environment` output: `NAME=value` lines (a value may hold anything
 * but a newline, which tmux escapes) and `-NAME` for a name marked for removal (skipped). */
export function parseEnvironmentNames(stdout: string): string[] {
  const out: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(line);
    if (m) out.push(m[1]!);
  }
  return out;
}
