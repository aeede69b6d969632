// The command line an SshExecutor sends, and the stdin header that carries env and cwd (pure).
//
// The remote command is a fixed prologue plus the quoted argv; nothing secret is in it. The
// prologue (`/bin/sh -c PROLOGUE agentctl-ssh FILE ARGS...`) first prints READY_MARK on stderr
// (proof the host ran our command: a timeout before it means the host hung, not the program),
// then reads header lines from stdin up to an empty line and evals each one. A header line is
// only ever `export K='v'`, `unset K` or `cd -- '/dir'`, built here with every value quoted;
// newlines inside values are written as "$nl", so one line is one entry. `read` takes stdin a
// byte at a time, so what follows the header reaches the program untouched. Then it checks
// that FILE can be found on PATH and runs it in an exec'd subshell: always the program on PATH,
// never a shell builtin of that name (dash's echo is not /bin/echo), and the shell waits for it,
// so a program killed by signal N ends the call with 128+N, where ssh itself would say 255.
//
// With `env` given, the outer command first clears the environment (`env -i`) keeping only the
// remote login's base (HOME, USER, PATH, ...): "the whole environment", as locally, but with
// that host's HOME and PATH, which the controller cannot know.
import { shellQuote, shellQuoteArgv } from './shell-quote.js';

export const READY_MARK = 'agentctl-ssh:ready';
export const NOT_FOUND_MARK = 'agentctl-ssh:not-found';
export const NO_CWD_MARK = 'agentctl-ssh:no-cwd';

/** The remote login's variables kept when the environment is cleared. */
export const BASE_ENV = [
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'PATH',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TERM',
  'TZ',
] as const;

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const PROLOGUE = [
  `printf '%s\\n' ${READY_MARK} >&2`,
  "nl='\n'",
  'while IFS= read -r l; do',
  '  [ -z "$l" ] && break',
  `  eval "$l" || { printf '%s\\n' ${NO_CWD_MARK} >&2; exit 127; }`,
  'done',
  `command -v -- "$1" >/dev/null 2>&1 || { printf '%s\\n' ${NOT_FOUND_MARK} >&2; exit 127; }`,
  '( exec "$@" )',
].join('\n');

export class RemoteCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemoteCommandError';
  }
}

/** The string ssh sends to the remote login shell. */
export function remoteCommand(file: string, args: readonly string[], clearEnv: boolean): string {
  const inner = `/bin/sh -c ${shellQuote(PROLOGUE)} agentctl-ssh ${shellQuoteArgv([file, ...args])}`;
  if (!clearEnv) return `exec ${inner}`;
  // ${V+"V=$V"} is the word V=value when V is set and nothing at all when it is not.
  const keep = BASE_ENV.map((v) => `\${${v}+"${v}=$${v}"}`).join(' ');
  return `exec /usr/bin/env -i ${keep} ${inner}`;
}

/** A value quoted for the header: one physical line whatever it holds. */
function headerWord(value: string): string {
  if (value.includes('\0'))
    throw new RemoteCommandError('an environment value or directory must not contain a NUL byte');
  return value.split('\n').map(shellQuote).join('"$nl"');
}

/** The header that goes on stdin before the program's own input, ending with an empty line. */
export function stdinHeader(options: { env?: Record<string, string | undefined>; cwd?: string }): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (!ENV_KEY.test(key))
      throw new RemoteCommandError(`not a valid environment variable name: ${JSON.stringify(key)}`);
    lines.push(value === undefined ? `unset ${key}` : `export ${key}=${headerWord(value)}`);
  }
  if (options.cwd !== undefined) lines.push(`cd -- ${headerWord(options.cwd)}`);
  return lines.map((l) => `${l}\n`).join('') + '\n';
}

export interface Marks {
  /** The prologue ran: the host was reached and our command started. */
  ready: boolean;
  notFound: boolean;
  noCwd: boolean;
  /** stderr with the marks taken out. */
  stderr: string;
}

export function splitMarks(stderr: string): Marks {
  const marks = { ready: false, notFound: false, noCwd: false };
  const kept = stderr.split('\n').filter((line) => {
    const l = line.replace(/\r$/, '');
    if (l === READY_MARK && !marks.ready) return !(marks.ready = true);
    if (l === NOT_FOUND_MARK) return !(marks.notFound = true);
    if (l === NO_CWD_MARK) return !(marks.noCwd = true);
    return true;
  });
  return { ...marks, stderr: kept.join('\n') };
}
