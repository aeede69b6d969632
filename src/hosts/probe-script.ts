// One ssh call that tells everything a look at a host needs: its login's base env, preflight, tmux sessions, run folder (pure).
//
// Run as `/bin/sh -c PROBE_SCRIPT agentctl-probe NONCE HELLO SOCKET FORMAT RUNDIR WORKDIR...`.
// - HELLO=1 adds the `env` section (HOME, USER, PATH... of the ssh login, each value base64 on
//   one line) and the `preflight` section (PREFLIGHT_SCRIPT over the workdirs, `~` expanded
//   there); HELLO=0 leaves both out (a routine observation).
// - SOCKET non-empty adds `tmux RC` (list-sessions on that socket; tmux's complaints go to
//   stderr, where "no server running" is read) and `ls RC` (the run folder's names, NUL-ended).
// - RUNDIR is relative to the login's home unless it starts with `/`.
// Each section starts on a line of its own with `@@NONCE NAME [RC]`: the nonce is new for every
// call, so nothing a session prints (its start command is in the listing) can forge a section.
import { PREFLIGHT_SCRIPT } from './preflight-checks.js';

/** The login's variables an agent's environment is built on (DESIGN §9.5, agent-env.ts). */
export const PROBE_ENV = [
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'PATH',
  'LANG',
  'TZ',
  'LC_ALL',
  'LC_CTYPE',
  'LC_MESSAGES',
  'LC_COLLATE',
  'LC_NUMERIC',
  'LC_TIME',
] as const;

export const PROBE_SCRIPT = [
  'n=$1; hello=$2; sock=$3; fmt=$4; run=$5; shift 5',
  'mark() { printf \'\\n@@%s %s\\n\' "$n" "$*"; }',
  'case $run in /*) ;; *) run=$HOME/$run;; esac',
  'if [ "$hello" = 1 ]; then',
  '  mark env',
  `  for v in ${PROBE_ENV.join(' ')}; do`,
  '    eval "s=\\${$v+x}; x=\\${$v-}"',
  '    [ -n "$s" ] && printf \'%s=%s\\n\' "$v" "$(printf \'%s\' "$x" | base64 -w0)"',
  '  done',
  '  k=$#',
  "  for d do case $d in '~') d=$HOME;; '~/'*) d=$HOME/${d#'~/'};; esac; set -- \"$@\" \"$d\"; done",
  '  shift $k',
  '  mark preflight',
  `  ( ${PREFLIGHT_SCRIPT.split('\n').join('\n    ')}\n  )`,
  'fi',
  'if [ -n "$sock" ]; then',
  '  if command -v tmux >/dev/null 2>&1; then o=$(tmux -u -L "$sock" list-sessions -F "$fmt"); c=$?; else o=; c=127; echo "agentctl: tmux: not found" >&2; fi',
  '  mark tmux "$c"',
  '  printf \'%s\' "$o"',
  '  mark ls 0',
  '  ( cd -- "$run" 2>/dev/null || exit 0',
  '    for f in * .*; do case $f in .|..) continue;; esac; [ -e "$f" ] || [ -L "$f" ] || continue; printf \'%s\\0\' "$f"; done )',
  'fi',
  'mark end',
].join('\n');

export interface ProbeArgs {
  nonce: string;
  hello: boolean;
  /** The tmux socket to list; empty: no tmux section. */
  socket: string;
  format: string;
  runDir: string;
  workdirs: readonly string[];
}

export function probeArgv(a: ProbeArgs): string[] {
  return [
    '-c',
    PROBE_SCRIPT,
    'agentctl-probe',
    a.nonce,
    a.hello ? '1' : '0',
    a.socket,
    a.format,
    a.runDir,
    ...a.workdirs,
  ];
}

export interface ProbeAnswer {
  /** Present when HELLO was asked. */
  env?: Record<string, string>;
  /** PREFLIGHT_SCRIPT's output, when HELLO was asked. */
  preflight?: string;
  tmux?: { exitCode: number; stdout: string };
  listing?: string[];
  /** The `end` section was seen: the script ran to its end. */
  complete: boolean;
  /** What the call printed on stderr (tmux's complaints). */
  stderr?: string;
}

export function parseProbe(stdout: string, nonce: string): ProbeAnswer {
  const answer: ProbeAnswer = { complete: false };
  const parts = stdout.split(`\n@@${nonce} `).slice(1);
  for (const part of parts) {
    const nl = part.indexOf('\n');
    const head = nl < 0 ? part : part.slice(0, nl);
    const body = nl < 0 ? '' : part.slice(nl + 1);
    const [name, rc] = head.split(' ');
    if (name === 'env') answer.env = parseEnv(body);
    else if (name === 'preflight') answer.preflight = body;
    else if (name === 'tmux') answer.tmux = { exitCode: Number(rc ?? 1), stdout: body };
    else if (name === 'ls') answer.listing = body.split('\0').slice(0, -1);
    else if (name === 'end') answer.complete = true;
  }
  return answer;
}

function parseEnv(body: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of body.split('\n')) {
    const m = /^([A-Z_]+)=([A-Za-z0-9+/]*={0,2})$/.exec(line);
    if (m) env[m[1]!] = Buffer.from(m[2]!, 'base64').toString('utf8');
  }
  return env;
}
