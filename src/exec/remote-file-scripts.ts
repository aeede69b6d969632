// The sh scripts SshFiles runs on a host, and the framing of what goes in and out of them (pure).
//
// Paths travel as arguments (they are names, not secrets); contents only ever on stdin or stdout.
// - write: stdin holds, per path, a line `<bytes> <octal mode>` and then exactly that many bytes;
//   each file goes to a temp file beside it (umask 077, so never readable by others meanwhile),
//   is checked for length, chmod'ed, fsync'ed (`sync FILE`, unless not durable) and renamed over
//   the path.
// - read: stdout holds one line per regular, readable file: `<index> <mtime seconds> <base64>`.
//   base64 keeps any byte and any line inside one line, and a file that grows while it is read
//   cannot break the framing. Missing files, folders and FIFOs produce no line.
// - list: names NUL-terminated (a name may hold a newline).
// Needs GNU coreutils on the host (stat -c, base64 -w0, head -c, sync FILE): any Linux.

/** Arguments: `1` (fsync each file) or `0` (not: files read within moments, never needed after a
 * crash), then the paths. */
export const WRITE_SCRIPT = [
  'umask 077',
  'durable=$1; shift',
  'for p do',
  "  IFS=' ' read -r n mode || { echo 'agentctl: write: stdin ended early' >&2; exit 3; }",
  '  t="${p%/*}/.${p##*/}.agentctl-$$.tmp"',
  '  head -c "$n" > "$t" && [ "$(wc -c < "$t")" -eq "$n" ] && chmod "$mode" "$t" && { [ "$durable" = 0 ] || sync -- "$t"; } && mv -f -- "$t" "$p" ||',
  '    { rm -f -- "$t"; echo "agentctl: write failed: $p" >&2; exit 4; }',
  'done',
].join('\n');

export const READ_SCRIPT = [
  'i=0',
  'for f do',
  '  if [ -f "$f" ] && [ -r "$f" ]; then',
  '    m=$(stat -L -c %.3Y -- "$f" 2>/dev/null) && b=$(base64 -w0 -- "$f" 2>/dev/null) && printf \'%s %s %s\\n\' "$i" "$m" "$b"',
  '  fi',
  '  i=$((i+1))',
  'done',
].join('\n');

export const LIST_SCRIPT = [
  'cd -- "$1" 2>/dev/null || exit 0',
  'for f in * .*; do',
  '  case $f in .|..) continue;; esac',
  '  [ -e "$f" ] || [ -L "$f" ] || continue',
  '  printf \'%s\\0\' "$f"',
  'done',
].join('\n');

export const MKDIR_SCRIPT = 'umask "$1" && mkdir -p -- "$2"';
export const REMOVE_SCRIPT = 'rm -f -- "$@"';
/** Exit 3: not a regular file (missing): tail returns null then. */
export const TAIL_SCRIPT = '[ -f "$1" ] || exit 3; tail -c "$2" -- "$1"';
export const TAIL_MISSING = 3;

/** The umask that makes `mkdir -p` create folders with `mode`. */
export function umaskFor(mode: number): string {
  return (~mode & 0o777).toString(8).padStart(3, '0');
}

export interface FileToWrite {
  path: string;
  content: string;
  mode?: number;
}

/** stdin for WRITE_SCRIPT, in the order of `files` (their paths are its arguments). */
export function writeInput(files: readonly FileToWrite[]): string {
  return files.map((f) => `${Buffer.byteLength(f.content)} ${(f.mode ?? 0o600).toString(8)}\n${f.content}`).join('');
}

export interface ReadFrame {
  text: string;
  mtimeMs: number;
}

/** READ_SCRIPT's output, by path. Lines that are not well-formed frames are ignored. */
export function parseReadFrames(stdout: string, paths: readonly string[]): Map<string, ReadFrame> {
  const out = new Map<string, ReadFrame>();
  for (const line of stdout.split('\n')) {
    const m = /^(\d+) (\d+(?:\.\d+)?) ([A-Za-z0-9+/]*={0,2})$/.exec(line);
    const path = m ? paths[Number(m[1])] : undefined;
    if (!m || path === undefined) continue;
    out.set(path, { text: Buffer.from(m[3]!, 'base64').toString('utf8'), mtimeMs: Math.round(Number(m[2]) * 1000) });
  }
  return out;
}

/** LIST_SCRIPT's output: NUL-terminated names. */
export function parseList(stdout: string): string[] {
  return stdout.split('\0').slice(0, -1);
}
