// The batch script body of an interactive job (pure): a private tmux server in the job, the agent in a session there.
//
// The script runs twice. As the job, it starts `tmux -D` (in the foreground, so the server stays
// a process of the job that Slurm tracks and ends with it; a daemonised server would escape
// proctrack/linuxproc) with a configuration that creates the session; the session's command runs
// this same script again with `agentctl-pane`, and that run is the agent's wrapper, as INNER is in
// tmux/launch.ts: it enters the workdir, runs the argv (single-quoted words, never interpreted),
// records the exit status. The job lives as long as the session: `exit-empty` ends the server
// with its last session, and the job exits with the agent's status.
//
// TERM (`scancel --signal=TERM --batch`, what stop sends) reaches the batch shell alone, which
// passes it to the pane's process group: a TERM to every process would also end the tmux server,
// and the agent would get a hangup instead of its grace period.
import { shQuote } from '../../exec/shell-quote.js';

export const PANE_ARG = 'agentctl-pane';
/** The session's screen until someone attaches (then the client's size wins). */
export const SCREEN = { width: 200, height: 50 } as const;

/** The private tmux socket (`tmux -L`) of a job: one server per job, on the job's node. */
export const jobSocket = (jobId: string): string => `agentctl-${jobId}`;

export interface InteractiveInput {
  name: string;
  argv: readonly string[];
  workdir: string;
}

/** Lines after the `exit_file=` line of the script. */
export function interactiveBody(i: InteractiveInput): string[] {
  const session = `=${i.name}:`;
  const conf = [
    // The pane's command names no value of the agent: the script path comes from the environment.
    `new-session -d -s ${i.name} -x ${SCREEN.width} -y ${SCREEN.height} /bin/sh -c 'exec /bin/sh "$AGENTCTL_PANE_SCRIPT" ${PANE_ARG}'`,
    // After the session exists: with -D the server would otherwise outlive it.
    'set -s exit-empty on',
    'set -g history-limit 10000',
  ];
  const forward = `p=$(tmux -L "$sock" display-message -p -t ${session} '#{pane_pid}' 2>/dev/null) && [ -n "$p" ] && kill -TERM "-$p"`;
  return [
    `if [ "\${1:-}" = ${PANE_ARG} ]; then`,
    '  b=$AGENTCTL_BATCH_PID; unset AGENTCTL_PANE_SCRIPT AGENTCTL_BATCH_PID',
    `  cd -- ${shQuote(i.workdir)} || exit 126`,
    // proctrack/linuxproc cannot see below tmux's server ("tmux: server" holds a space): when
    // Slurm kills the batch shell (walltime, scancel), nothing else would end the agent.
    `  ( trap '' TERM INT; while kill -0 "$b" 2>/dev/null; do sleep 5; done; kill -KILL 0 ) </dev/null >/dev/null 2>&1 &`,
    '  trap : TERM INT',
    `  ${i.argv.map(shQuote).join(' ')}`,
    '  c=$?',
    '  printf \'%s\\n\' "$c" > "$exit_file.tmp" && mv -f "$exit_file.tmp" "$exit_file"',
    '  exit "$c"',
    'fi',
    `printf '%s\\n' "agentctl: job $SLURM_JOB_ID of agent ${i.name} starting on $(hostname) at $(date -u +%Y-%m-%dT%H:%M:%SZ) in tmux session ${i.name} (socket agentctl-$SLURM_JOB_ID)"`,
    'command -v tmux >/dev/null 2>&1 || { echo "agentctl: tmux is not installed on $(hostname); interactive agents need it" >&2; exit 127; }',
    // Whatever socket folder the submitting environment named, the job's steps look in tmux's own.
    'unset TMUX TMUX_TMPDIR',
    'sock="agentctl-$SLURM_JOB_ID"',
    'dir=$(mktemp -d "${TMPDIR:-/tmp}/agentctl.XXXXXX") || exit 1',
    `printf '%s\\n' ${conf.map(shQuote).join(' ')} > "$dir/tmux.conf"`,
    `trap ${shQuote(forward)} TERM INT`,
    'AGENTCTL_PANE_SCRIPT=$0 AGENTCTL_BATCH_PID=$$ tmux -L "$sock" -f "$dir/tmux.conf" -D </dev/null & srv=$!',
    // A server started with -D runs its configuration only when something wakes it: a client.
    'i=0',
    `until tmux -N -L "$sock" has-session -t =${i.name} 2>/dev/null; do`,
    '  i=$((i + 1))',
    '  if [ "$i" -gt 400 ] || ! kill -0 "$srv" 2>/dev/null; then echo "agentctl: the tmux session did not start within 20s" >&2; kill "$srv" 2>/dev/null; break; fi',
    '  sleep 0.05',
    'done',
    // A trapped signal interrupts wait: wait again until the server has really ended.
    'while kill -0 "$srv" 2>/dev/null; do wait "$srv"; done',
    'rm -rf "$dir"',
    'if [ -s "$exit_file" ]; then read -r c < "$exit_file"; else c=1; echo "agentctl: the session ended without recording the agent\'s exit status" >&2; fi',
    'exit "$c"',
  ];
}
