// Workdirs and workspace files of many agents on a remote host in one ssh call, never written outside a workdir (pure).
//
// Run as `/bin/sh -c WORKSPACE_SCRIPT agentctl-workspace COUNT (WORKDIR NFILES REL...)...`; stdin
// holds every file's content in order, each as a line `<bytes>` and then that many bytes. Paths
// travel as arguments (they are names), contents only on stdin. Per agent it prints `ok I` or
// `err I MESSAGE` and goes on with the next; a failed agent's contents are still read, so the
// framing holds. The checks mirror the local ones (files.ts): no workdir under /proc, /sys or
// /dev; folders created one level at a time, each one's real path checked to stay inside the
// workdir's; a symlink where a file belongs must point inside; every file written aside, synced
// and renamed.

export const WORKSPACE_SCRIPT = [
  'umask 022',
  'count=$1; shift',
  'say() { printf "%s\\n" "$*"; }',
  'drain() { k=$1; while [ "$k" -gt 0 ]; do IFS= read -r len; head -c "$len" >/dev/null; k=$((k-1)); done; }',
  'i=0',
  'while [ "$i" -lt "$count" ]; do',
  '  w=$1; nf=$2; shift 2',
  '  p=$w; while [ ! -d "$p" ]; do case $p in */*) p=${p%/*}; [ -z "$p" ] && p=/;; *) p=/;; esac; done',
  '  r=$(cd -P -- "$p" 2>/dev/null && pwd -P)',
  '  case $r/ in /proc/*|/sys/*|/dev/*) say "err $i workdir $w cannot be created: it is under /proc, /sys or /dev"; drain "$nf"; shift "$nf"; i=$((i+1)); continue;; esac',
  '  if ! mkdir -p -- "$w" 2>/dev/null || ! root=$(cd -P -- "$w" 2>/dev/null && pwd -P); then say "err $i workdir $w cannot be created"; drain "$nf"; shift "$nf"; i=$((i+1)); continue; fi',
  '  bad=',
  '  while [ "$nf" -gt 0 ]; do',
  '    rel=$1; shift; nf=$((nf-1)); IFS= read -r len',
  '    if [ -n "$bad" ]; then head -c "$len" >/dev/null; continue; fi',
  '    case /$rel/ in */../*|*/./*|//*) bad="files: $rel is outside the workdir"; head -c "$len" >/dev/null; continue;; esac',
  '    d=$root; base=${rel##*/}; dirs=${rel%"$base"}',
  '    set -f; oldifs=$IFS; IFS=/',
  '    for part in $dirs; do',
  '      [ -z "$part" ] && continue',
  '      [ -d "$d/$part" ] || mkdir -- "$d/$part" 2>/dev/null',
  '      d=$(cd -P -- "$d/$part" 2>/dev/null && pwd -P) || { bad="files: $rel cannot be written"; break; }',
  '      case $d/ in "$root"/*) ;; *) bad="files: $rel leads outside the workdir (through a symlink)"; break;; esac',
  '    done',
  '    IFS=$oldifs; set +f',
  '    if [ -z "$bad" ] && [ -L "$d/$base" ]; then',
  '      l=$(readlink -f -- "$d/$base" 2>/dev/null) || l=',
  '      case $l in "$root"/*) ;; *) bad="files: $rel leads outside the workdir (through a symlink)";; esac',
  '    fi',
  '    if [ -n "$bad" ]; then head -c "$len" >/dev/null; continue; fi',
  '    t="$d/.$base.agentctl-$$.tmp"',
  '    if ! { head -c "$len" > "$t" && [ "$(wc -c < "$t")" -eq "$len" ] && sync -- "$t" && mv -f -- "$t" "$d/$base"; } 2>/dev/null; then',
  '      rm -f -- "$t"; bad="files: $rel cannot be written"',
  '    fi',
  '  done',
  '  if [ -n "$bad" ]; then say "err $i $bad"; else say "ok $i"; fi',
  '  i=$((i+1))',
  'done',
].join('\n');

export interface WorkspaceItem {
  workdir: string;
  files: Record<string, string>;
}

export function workspaceBatch(items: readonly WorkspaceItem[]): { argv: string[]; input: string } {
  const argv = ['-c', WORKSPACE_SCRIPT, 'agentctl-workspace', String(items.length)];
  let input = '';
  for (const it of items) {
    const entries = Object.entries(it.files);
    argv.push(it.workdir, String(entries.length), ...entries.map(([rel]) => rel));
    for (const [, content] of entries) input += `${Buffer.byteLength(content)}\n${content}`;
  }
  return { argv, input };
}

/** Per item: undefined when done, else the message. Items without an answer failed unseen. */
export function parseWorkspace(stdout: string, count: number): (string | undefined)[] {
  const out: (string | undefined)[] = Array.from({ length: count }, () => 'no answer from the host');
  for (const line of stdout.split('\n')) {
    const m = /^(ok|err) (\d+)(?: (.*))?$/.exec(line);
    if (!m || Number(m[2]) >= count) continue;
    out[Number(m[2])] = m[1] === 'ok' ? undefined : (m[3] ?? 'failed');
  }
  return out;
}
