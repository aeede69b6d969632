// Reading Slurm's answers (pure): squeue rows, scontrol records, comments, raw wait statuses.
import { NAME_PATTERN } from '../../spec/schema.js';
import { signalName } from '../exit-status.js';
import { COMMENT_PREFIX, JOB_PREFIX } from './script.js';

/** Field separator for squeue -O: a control character no job name or comment of ours holds. */
export const SEP = '\u001f';

/** squeue --Format fields. `:0` means "no width limit"; the suffix is the separator. The comment
 * comes last so that anything in it (our owner id is free text) cannot shift the other fields. */
const FIELDS = [
  'JobID',
  'State',
  'Reason',
  'exit_code',
  'NodeList',
  'StartTime',
  'EndTime',
  'SubmitTime',
  'BatchHost',
  'Reservation',
  'Name',
  'Comment',
] as const;
export const SQUEUE_FORMAT = FIELDS.map((f, i) => `${f}:0${i < FIELDS.length - 1 ? SEP : ''}`).join(',');

/** Every job of this user, finished ones included (they stay for MinJobAge): one call for all. */
export const SQUEUE_ARGS = ['--noheader', '--me', '--states=all', `--Format=${SQUEUE_FORMAT}`];

export interface JobRow {
  jobId: string;
  state: string;
  reason: string | null;
  /** Raw wait status as Slurm reports it (768 = exit 3); null when not given. */
  waitStatus: number | null;
  node: string | null;
  /** Epoch ms. */
  startTime: number | null;
  endTime: number | null;
  submitTime: number | null;
  /** The node that runs the batch script (an allocation's first node): where a job's tmux server is. */
  batchHost: string | null;
  reservation: string | null;
  jobName: string;
  /** The agent name when the job name is `agentctl.<valid name>`. */
  agent: string | null;
  comment: string | null;
}

const NONE = new Set(['', '(null)', 'None', 'N/A', 'NONE', 'Unknown', 'n/a']);
const orNull = (s: string | undefined): string | null => (s === undefined || NONE.has(s.trim()) ? null : s.trim());

/** Slurm prints times as local `YYYY-MM-DDTHH:MM:SS` without a zone; Date reads that as local. */
export function parseSlurmTime(s: string | undefined): number | null {
  const v = orNull(s);
  if (!v || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(v)) return null;
  const t = new Date(v).getTime();
  return Number.isNaN(t) ? null : t;
}

export function agentOfJobName(jobName: string): string | null {
  if (!jobName.startsWith(JOB_PREFIX)) return null;
  const name = jobName.slice(JOB_PREFIX.length);
  return NAME_PATTERN.test(name) ? name : null;
}

export function parseSqueue(stdout: string): JobRow[] {
  const rows: JobRow[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const f = line.split(SEP);
    if (f.length < FIELDS.length || !/^\d+$/.test(f[0]!.trim())) continue;
    const jobName = f[10]!.trim();
    const status = f[3]!.trim();
    rows.push({
      jobId: f[0]!.trim(),
      state: f[1]!.trim().toUpperCase(),
      reason: orNull(f[2]),
      waitStatus: /^\d+$/.test(status) ? Number(status) : null,
      node: orNull(f[4]),
      startTime: parseSlurmTime(f[5]),
      endTime: parseSlurmTime(f[6]),
      submitTime: parseSlurmTime(f[7]),
      batchHost: orNull(f[8]),
      reservation: orNull(f[9]),
      jobName,
      agent: agentOfJobName(jobName),
      // squeue pads nothing at width 0, but a trailing space in a comment of ours never matters.
      comment: orNull(f.slice(11).join(SEP).replace(/\s+$/, '')),
    });
  }
  return rows;
}

export interface CommentMark {
  hash: string | null;
  owner: string | null;
  /** The job runs its agent in a tmux session (`;tty`): TERM goes to its batch shell. */
  tty: boolean;
  /** A walltime successor (`;next`), queued to take over when the agent's running job ends. */
  next: boolean;
}

/** `agentctl:<hash>[;tty][;next][;owner=<owner>]` → its parts; anything else → none. The owner comes
 * last: it is free text. */
export function parseComment(comment: string | null): CommentMark {
  if (!comment?.startsWith(COMMENT_PREFIX)) return { hash: null, owner: null, tty: false, next: false };
  const rest = comment.slice(COMMENT_PREFIX.length);
  const i = rest.indexOf(';owner=');
  const [hash = '', ...flags] = (i < 0 ? rest : rest.slice(0, i)).split(';');
  const owner = i < 0 ? null : rest.slice(i + ';owner='.length);
  return {
    hash: hash === '' ? null : hash,
    owner: owner === '' ? null : owner,
    tty: flags.includes('tty'),
    next: flags.includes('next'),
  };
}

export interface DecodedExit {
  code: number | null;
  signal: string | null;
}

/** A raw wait status (squeue exit_code): exit code in the high byte, killing signal in the low 7 bits. */
export function decodeWaitStatus(status: number | null): DecodedExit {
  if (status === null) return { code: null, signal: null };
  const sig = status & 0x7f;
  if (sig !== 0) return { code: 128 + sig, signal: signalName(sig) };
  return { code: (status >> 8) & 0xff, signal: null };
}

/** scontrol's `ExitCode=3:0` (code:signal). */
export function decodeExitPair(pair: string | null): DecodedExit {
  const m = pair ? /^(\d+):(\d+)$/.exec(pair) : null;
  if (!m) return { code: null, signal: null };
  const code = Number(m[1]);
  const sig = Number(m[2]);
  if (sig !== 0) return { code: 128 + sig, signal: signalName(sig) };
  return { code, signal: null };
}

export interface ScontrolJob {
  jobId: string;
  jobName: string | null;
  state: string;
  reason: string | null;
  exit: DecodedExit;
  endTime: number | null;
}

/** `scontrol show job -o ID`: one line of Key=Value pairs. The first match of a key wins: the
 * fields read here come before free-text ones (Comment, Command) that could hold `Key=`. */
export function parseScontrolJob(stdout: string): ScontrolJob | null {
  const line = stdout.split('\n').find((l) => /(^|\s)JobId=\d+/.test(l));
  if (!line) return null;
  const field = (key: string): string | null => {
    const m = new RegExp(`(?:^|\\s)${key}=(\\S*)`).exec(line);
    return m ? orNull(m[1]) : null;
  };
  const state = field('JobState');
  const jobId = field('JobId');
  if (!state || !jobId) return null;
  return {
    jobId,
    jobName: field('JobName'),
    state: state.toUpperCase(),
    reason: field('Reason'),
    exit: decodeExitPair(field('ExitCode')),
    endTime: parseSlurmTime(field('EndTime') ?? undefined),
  };
}

/** True when scontrol or squeue says the job id is unknown (it left the controller's memory). */
export function isInvalidJobId(stderr: string): boolean {
  return /Invalid job id/i.test(stderr);
}
