// The sh Claude Code runs as agentctl's PermissionRequest hook: records the request, waits a bounded time for agentctl's decision (pure text).
//
// Claude Code runs a PermissionRequest hook as its permission dialog would open, and takes a
// decision the hook prints (`{"hookSpecificOutput": {"hookEventName": "PermissionRequest",
// "decision": {"behavior": "allow" | "deny", ...}}}`, observed with 2.1.328) instead of asking.
// This hook appends the request to the events file (the activity reader sees the wait at once,
// ~6 s before the Notification hook), writes it as `<id>.request` into the incarnation's
// permission folder, and polls for `<id>.decision`, which `agentctl approve/deny` writes.
// Claude Code 2.1.328 shows its dialog at once while the hook waits; a decision the hook prints
// answers and closes it. No decision within the wait: it prints nothing and the dialog stays for
// a person (or `approve` by keys). Its own files are removed however it ends, but for
// `<id>.taken`, which tells agentctl the decision was taken (agentctl removes it).

import { MAX_LINE_BYTES } from './limits.js';

/** How long the hook waits for a decision from agentctl (seconds); the dialog shows meanwhile. */
export const DEFAULT_PERMISSION_WAIT_SECONDS = 30;

/** `sh FILE EVENTS_FILE INCARNATION PERM_DIR WAIT_SECONDS`. */
export const PERMISSION_SCRIPT = [
  '# agentctl: PermissionRequest hook: record the request, wait up to $4 s for a decision file',
  'f=$1; i=$2; d=$3; w=$4',
  `j=$(tr -d '\\r\\n' | head -c ${MAX_LINE_BYTES})`,
  'now=$(date +%s)',
  `printf 'h %s %s %s\\n' "$i" "$now" "$j" 2>/dev/null >> "$f"`,
  'id="$now-$$"',
  'mkdir -p "$d" 2>/dev/null || exit 0',
  `trap 'rm -f "$d/$id.request" "$d/$id.decision"' EXIT`,
  "trap 'exit 0' HUP INT TERM",
  `printf '%s %s\\n%s\\n' "$$" "$now" "$j" > "$d/.$id.tmp" 2>/dev/null && mv "$d/.$id.tmp" "$d/$id.request" || exit 0`,
  'k=0; n=$((w * 10))',
  'while [ "$k" -lt "$n" ]; do',
  // Read first, then marked taken by a rename: agentctl tells a taken decision from one that came
  // just after the hook's last look (the trap then removes it and the dialog stays), and may
  // remove the mark at once (what was read is already in $o).
  '  if [ -f "$d/$id.decision" ] && o=$(cat "$d/$id.decision") && mv "$d/$id.decision" "$d/$id.taken" 2>/dev/null; then',
  '    printf \'%s\\n\' "$o"; exit 0',
  '  fi',
  '  sleep 0.1; k=$((k + 1))',
  'done',
  'exit 0',
  '',
].join('\n');

/** The settings-layer entry (Claude Code's hooks format) that runs the script. Claude Code's own
 * timeout for the hook is a little longer than the script's wait, so the script always ends it. */
export function permissionHookEntry(
  script: string,
  events: string,
  incarnation: string,
  permDir: string,
  waitSeconds = DEFAULT_PERMISSION_WAIT_SECONDS,
): { matcher: string; hooks: { type: 'command'; command: string; timeout: number }[] } {
  const q = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;
  return {
    matcher: '*',
    hooks: [
      {
        type: 'command',
        command: ['sh', script, events, incarnation, permDir, String(waitSeconds)].map(q).join(' '),
        timeout: waitSeconds + 10,
      },
    ],
  };
}

/** The permission folder of an incarnation, beside its events file. */
export const permissionDir = (activityDir: string, agent: string, incarnation: string): string =>
  `${activityDir}/${agent}.${incarnation}.perm`;
