// How an agent's exit status is recorded: a tiny sh wrapper writes $? to a file (pure helpers).
import { constants } from 'node:os';

/**
 * The wrapper every tmux agent runs under: `sh -c WRAPPER <exit-file> argv...`.
 * The agent's argv reaches sh only as positional parameters ("$@"), never as code, so nothing in
 * it is interpreted. TERM and INT are trapped (not ignored, so the agent itself keeps the
 * default dispositions) so that sh outlives the agent long enough to record its status; the
 * status goes through a temp file and rename so a reader never sees a half-written file.
 * HUP is not trapped: when the session is killed, sh (the session leader) must die of the
 * hangup so that the kernel hangs up the agent too, instead of leaving it orphaned.
 */
export const EXIT_WRAPPER =
  'trap : TERM INT; "$@"; c=$?; printf "%s\\n" "$c" > "$0.tmp" && mv -f "$0.tmp" "$0"; exit "$c"';

const signalNames = new Map<number, string>(
  Object.entries(constants.signals).map(([name, num]) => [num, name] as [number, string]),
);

export function signalName(num: number): string | null {
  return signalNames.get(num) ?? null;
}

/** Reads the content of an exit file (`143\n`) into code and signal. */
export function parseExitFile(text: string, at: number): { code: number | null; signal: string | null; at: number } | null {
  const m = /^\s*(\d+)\s*$/.exec(text);
  if (!m) return null;
  const code = Number(m[1]);
  return { code, signal: code > 128 ? signalName(code - 128) : null, at };
}

export function exitFromStatus(code: number | null, signal: string | null, at: number): { code: number | null; signal: string | null; at: number } {
  if (signal === null && code !== null && code > 128) return { code, signal: signalName(code - 128), at };
  return { code, signal, at };
}
