// The sh that Claude Code runs for agentctl's hooks and status line: one line per event, no Node start (pure text).
//
// Each hook gets its JSON on stdin. The script appends it as one line `h <incarnation> <epoch s>
// <json>` to the incarnation's events file, newlines removed (JSON keeps newlines inside strings
// escaped, so only whitespace goes) and cut at MAX_LINE_BYTES (a huge prompt makes a line the
// parser recognises by its head). Past the file's cap nothing more is appended: a runaway
// incarnation cannot fill the disk, and the reader sees the cap and says Unknown rather than
// stale. A write that fails (full disk, read-only folder) is silent: a hook must never break the
// agent, and the reader then simply sees no change.
//
// The status line is called far more often than hooks (every redraw of a changed status), so it
// overwrites one small file instead of appending; then, when the user has a status line of their
// own, it runs it with the same JSON and its output is what Claude Code shows.

/** One line of the events file is cut here (bytes of JSON). */
export const MAX_LINE_BYTES = 64 * 1024;
/** Nothing more is appended once the events file is this big. */
export const DEFAULT_EVENTS_CAP_BYTES = 8 * 1024 * 1024;

/** `sh FILE EVENTS_FILE INCARNATION CAP`: appends stdin as one hook line. */
export const HOOK_SCRIPT = [
  '# agentctl: append Claude Code hook input (stdin) as one line to the events file $1',
  'f=$1; i=$2; cap=$3',
  'if [ -f "$f" ] && [ "$(wc -c < "$f" 2>/dev/null || echo 0)" -ge "$cap" ]; then cat > /dev/null; exit 0; fi',
  `j=$(tr -d '\\r\\n' | head -c ${MAX_LINE_BYTES})`,
  `printf 'h %s %s %s\\n' "$i" "$(date +%s)" "$j" 2>/dev/null >> "$f"`,
  'exit 0',
  '',
].join('\n');

/** `sh FILE STATUS_FILE INCARNATION [USER_STATUS_LINE_FILE]`: records stdin, prints the user's line. */
export const STATUS_SCRIPT = [
  '# agentctl: record Claude Code status line input (stdin) in $1, then show the user status line, if any',
  'f=$1; i=$2; u=$3',
  `j=$(tr -d '\\r\\n' | head -c ${MAX_LINE_BYTES})`,
  `printf 's %s %s %s\\n' "$i" "$(date +%s)" "$j" 2>/dev/null > "$f"`,
  'if [ -n "$u" ] && [ -f "$u" ]; then printf \'%s\\n\' "$j" | sh "$u"; fi',
  'exit 0',
  '',
].join('\n');
