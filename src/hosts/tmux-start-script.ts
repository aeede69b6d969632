// A batch of tmux starts on a remote host in one ssh call: launch files and the tmux commands both on stdin (pure).
//
// Run as `/bin/sh -c START_SCRIPT agentctl-start SOCKET RUNDIR COUNT NAME...`. stdin holds COUNT
// launch files, each a line `<bytes> <file name>` and then exactly that many bytes, and then the
// lines for `tmux source-file -`, which reads the rest of stdin. The script makes the run folder
// (0700), removes the exit files of the agents it starts (their earlier incarnations'), removes
// launch files older than five minutes (a crash left them), writes the launch files (0600, aside
// and renamed), then becomes the tmux client. Launch files hold the agents' environment, secrets
// included: they never appear in an argv on either side, only in these bytes on stdin.
import { launchScript, serverSetupLines, sessionLine } from '../runtime/tmux/launch.js';

export const START_SCRIPT = [
  'umask 077',
  'sock=$1; dir=$2; count=$3; shift 3',
  'mkdir -p -- "$dir" || exit 3',
  'for a do rm -f -- "$dir/$a".*.exit; done',
  'command -v find >/dev/null 2>&1 && find "$dir" -maxdepth 1 -name "*.launch" -mmin +5 -exec rm -f {} + 2>/dev/null',
  'i=0',
  'while [ "$i" -lt "$count" ]; do',
  "  IFS=' ' read -r len f || { echo 'agentctl: start: stdin ended early' >&2; exit 3; }",
  '  case $f in */*|.*|"") echo "agentctl: start: bad launch file name" >&2; exit 3;; esac',
  '  t="$dir/.$f.tmp"',
  '  head -c "$len" > "$t" && [ "$(wc -c < "$t")" -eq "$len" ] && mv -f -- "$t" "$dir/$f" || { rm -f -- "$t"; echo "agentctl: start: cannot write $f" >&2; exit 4; }',
  '  i=$((i+1))',
  'done',
  'command -v tmux >/dev/null 2>&1 || { echo "agentctl: tmux: not found" >&2; exit 127; }',
  'exec tmux -u -L "$sock" start-server \\; source-file -',
].join('\n');

export interface RemoteStartItem {
  name: string;
  token: string;
  hash: string;
  env: Record<string, string>;
  workdir: string;
  argv: readonly string[];
}

export interface RemoteStartBatch {
  argv: string[];
  input: string;
  launchFiles: Map<string, string>;
}

/** The argv and stdin of one remote start call. */
export function remoteStartBatch(o: {
  socket: string;
  runDir: string;
  owner: string;
  items: readonly RemoteStartItem[];
}): RemoteStartBatch {
  const launchFiles = new Map<string, string>();
  let frames = '';
  const lines = serverSetupLines(o.runDir);
  for (const it of o.items) {
    const file = `${it.name}.${it.token}.launch`;
    const content = launchScript({ env: it.env, workdir: it.workdir, argv: it.argv });
    frames += `${Buffer.byteLength(content)} ${file}\n${content}`;
    launchFiles.set(it.name, `${o.runDir}/${file}`);
    lines.push(
      sessionLine({
        name: it.name,
        token: it.token,
        owner: o.owner,
        hash: it.hash,
        launchFile: `${o.runDir}/${file}`,
        exitFile: `${o.runDir}/${it.name}.${it.token}.exit`,
      }),
    );
  }
  return {
    argv: [
      '-c',
      START_SCRIPT,
      'agentctl-start',
      o.socket,
      o.runDir,
      String(o.items.length),
      ...o.items.map((i) => i.name),
    ],
    input: `${frames}${lines.join('\n')}\n`,
    launchFiles,
  };
}
