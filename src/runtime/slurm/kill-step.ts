// The KILL that does not wait for Slurm's KillWait (pure): a step inside the job that kills its processes.
//
// Measured on slurm 22.05 (proctrack/linuxproc, KillWait=30): `scancel --signal=KILL --full` is a
// cancel, so slurmd sends TERM and waits KillWait before the KILL: a TERM-trapping agent lives on
// for 30 s with the job COMPLETING. `scancel --signal=KILL --batch [--full]` kills the batch shell
// at once and the job is reported ended while its children still run; a `setsid` child then
// escapes for good. What works: a step (`srun --overlap`) that reads the job's processes from
// `scontrol listpids` and /proc on each node and KILLs them all in one go (no parent dies before
// its children are signalled, so none is orphaned unseen), then reads /proc until they are gone
// and reports how many are left: the stop is done when that and squeue agree.

/** The processes below the seeds (pids on the command line), from one read of every /proc/PID/stat:
 * the name is in parentheses and may hold spaces, so the fields are counted after the last `)`. */
export const DESCENDANTS_AWK = [
  'BEGIN { m = split(ARGV[1], s, " "); n = 0; for (i = 1; i <= m; i++) if (!(s[i] in seen)) { seen[s[i]] = 1; q[++n] = s[i] } ARGV[1] = "" }',
  '{ i = match($0, /\\)[^)]*$/); if (!i) next; split(substr($0, i + 2), f, " "); kids[f[2]] = kids[f[2]] " " $1 }',
  'END { for (h = 1; h <= n; h++) { m = split(kids[q[h]], c, " "); for (j = 1; j <= m; j++) if (!(c[j] in seen)) { seen[c[j]] = 1; q[++n] = c[j] } } for (k = 1; k <= n; k++) print q[k] }',
].join('\n');

/** Runs on every node of the job. TERM/INT/HUP are ignored: when the batch shell dies the job ends
 * and Slurm signals this step too, which must still report. `scontrol listpids` gives the job's
 * processes as Slurm tracks them; with proctrack/linuxproc that tracking stops at a process whose
 * name holds a space (tmux's server calls itself "tmux: server", so an interactive agent is
 * invisible to it), hence their descendants too. A zombie counts as gone (it runs no more). */
export const KILL_SCRIPT = [
  "trap '' TERM INT HUP",
  'seeds=$(scontrol listpids "$SLURM_JOB_ID" 2>/dev/null | while read -r pid _ step _; do',
  '  case $pid in ""|*[!0-9]*) ;; *) [ "$step" = "$SLURM_STEP_ID" ] || echo "$pid" ;; esac',
  'done)',
  `p=$(cat /proc/[0-9]*/stat 2>/dev/null | awk '${DESCENDANTS_AWK}' "$seeds")`,
  '[ -z "$p" ] || kill -KILL $p 2>/dev/null',
  'i=0',
  'while :; do',
  '  left=',
  '  for q in $p; do',
  '    s=$(sed -n \'s/^.*) \\(.\\).*/\\1/p\' "/proc/$q/stat" 2>/dev/null)',
  '    [ -n "$s" ] && [ "$s" != Z ] && left="$left $q"',
  '  done',
  '  if [ -z "$left" ] || [ "$i" -ge 50 ]; then break; fi',
  '  i=$((i + 1)); sleep 0.1',
  'done',
  'set -- $p; n=$#; set -- $left',
  'echo "agentctl-kill node=$(hostname) killed=$n left=$#"',
].join('\n');

/** srun's argv: a step beside the agent (`--overlap`), on every node of the job, holding no
 * resources of its own (`--mem=0` is "the job's memory" for a step). */
export function killStepArgs(jobId: string): string[] {
  return [
    `--jobid=${jobId}`,
    '--overlap',
    '--ntasks-per-node=1',
    '--mem=0',
    '--quiet',
    '--job-name=agentctl-kill',
    '/bin/sh',
    '-c',
    KILL_SCRIPT,
    'agentctl-kill',
  ];
}

export interface KillReport {
  /** Nodes that answered. */
  nodes: number;
  killed: number;
  /** Processes still running (not zombies) 5 s after the KILL: unkillable (D state). */
  left: number;
}

/** The report lines of the kill step; null when no node answered (the step did not run). */
export function parseKillReport(stdout: string): KillReport | null {
  let nodes = 0;
  let killed = 0;
  let left = 0;
  for (const m of stdout.matchAll(/^agentctl-kill node=\S* killed=(\d+) left=(\d+)$/gm)) {
    nodes++;
    killed += Number(m[1]);
    left += Number(m[2]);
  }
  return nodes === 0 ? null : { nodes, killed, left };
}
