// How a tmux agent is launched (pure): the wrapper, its launch file, and the line that creates the session.
//
// The session's command is `/bin/sh -c INNER agentctl <mark> <launch file> <exit file>`, and the
// pane runs two programs, the shell and the agent (every exec more is paid by every start, on the
// same cores as the tmux server: the leaner the wrapper, the closer a batch is to plain tmux):
// - the mark `agentctl:<owner>:<hash>` rides in the pane's start command, where one
//   `list-sessions` reads it back (`#{pane_start_command}`); no set-option per session;
// - the shell's environment is the tmux server's, which holds only the base environment: agentctl
//   starts the server with a client whose environment is exactly that (client.ts), and clears what
//   a server started by someone else holds (before starting into it, tmux-runtime.ts); what tmux itself adds (TMUX, TMUX_PANE, TERM_PROGRAM...) is unset;
// - INNER sources the launch file (0600, in the state dir) and empties it at once (a builtin
//   redirection, no `rm` to exec; the empty file is swept later): the file sets the agent's whole
//   environment, enters the workdir and sets the argv, so no value ever passes through tmux's
//   configuration parser (which rewrites newlines, `#` lines and backslashes) or its session
//   environment (`show-environment`), and none shows in `ps`;
// - INNER then runs the argv and records its exit status in the exit file, written aside and
//   renamed (an `mv` at exit, off the start path): the state-dir watcher sees one rename of a
//   whole file, not a create of an empty one (which cost a recreate an extra look, ~50 ms at
//   1000 agents, measured with the watch bench). TERM and INT are trapped
//   (so sh outlives the agent long enough to record its status); HUP is not: when the session is
//   killed, sh must die of the hangup so the kernel hangs up the agent.
// - the shell's $0 is `agentctl`, and a program that cannot be found is reported as
//   `agentctl: cannot start PROG: not found` (exit 127): sh's own message would lead with its $0
//   and a line number, which read as an internal path in `agentctl logs`.
// - after that message (the agent never ran) the shell lives on for a second, its exit recorded:
//   tmux 3.3a closes a pane whose process it reaped without reading what is left in the pty, so a
//   wrapper that printed and exited at once lost its message on a busy machine (the pane showed
//   only "Pane is dead (status 127, ...)"). Newer tmux checks for unread output first.
import { ENV_KEY_PATTERN } from '../../spec/schema.js';
import { tmuxQuote } from './commands.js';
import { shQuote } from '../../exec/shell-quote.js';
import { mark } from './marks.js';

export const INNER =
  'f=$2; e=$3; unset TMUX TMUX_PANE TMUX_TMPDIR TERM_PROGRAM TERM_PROGRAM_VERSION; if . "$f"; then : > "$f"; if command -v "$1" >/dev/null 2>&1; then trap : TERM INT; "$@"; c=$?; p=; ' +
  'else printf "agentctl: cannot start %s: not found\\n" "$1" >&2; c=127; p=1; fi; else : > "$f"; echo "agentctl: cannot start: see above" >&2; c=126; p=1; fi; ' +
  'printf "%s\\n" "$c" > "$e.tmp" && mv -f "$e.tmp" "$e"; [ -z "$p" ] || PATH=/usr/bin:/bin sleep 1 2>/dev/null; exit "$c"';

export interface LaunchInput {
  /** The agent's whole environment (base, identity, envFiles, env, in that order of precedence). */
  env: Record<string, string>;
  workdir: string;
  argv: readonly string[];
}

/** The launch file: sourced by INNER in a shell that holds only the base environment. Its status
 * is that of `cd ... && set -- ...`, so a workdir that cannot be entered fails the start visibly. */
export function launchScript(l: LaunchInput): string {
  const lines = Object.entries(l.env)
    .filter(([k]) => ENV_KEY_PATTERN.test(k))
    .map(([k, v]) => `export ${k}=${shQuote(v)}`);
  lines.push(`cd -- ${shQuote(l.workdir)} && set -- ${l.argv.map(shQuote).join(' ')}`);
  return `${lines.join('\n')}\n`;
}

export interface SessionLine {
  name: string;
  token: string;
  owner: string;
  hash: string;
  launchFile: string;
  exitFile: string;
}

/** One line for `source-file`: the session, named for the agent, its window named for this
 * incarnation's token (new-session sets the name for free and -n turns automatic-rename off). */
export function sessionLine(s: SessionLine): string {
  const argv = [
    '-d',
    '-s',
    s.name,
    '-n',
    s.token,
    '-x',
    '200',
    '-y',
    '50',
    '--',
    '/bin/sh',
    '-c',
    INNER,
    'agentctl',
    mark(s.owner, s.hash),
    s.launchFile,
    s.exitFile,
  ];
  return `new-session ${argv.map(tmuxQuote).join(' ')}`;
}

/** Lines run before every batch of starts: keep a dead pane (its exit and last output can be
 * read), a deep scrollback for `logs`, and a file per closed session in the run folder, so the
 * controller hears at once of a session killed by hand. */
export function serverSetupLines(runDir: string): string[] {
  // #{q:...} quotes the name for sh; a # in the folder's path is doubled to stay literal.
  const closed = `: > ${shQuote(`${runDir}/`.replaceAll('#', '##'))}#{q:hook_session_name}.closed`;
  return [
    'set-option -g remain-on-exit on',
    'set-option -g history-limit 10000',
    `set-hook -g session-closed ${tmuxQuote(`run-shell -b ${tmuxQuote(closed)}`)}`,
  ];
}
