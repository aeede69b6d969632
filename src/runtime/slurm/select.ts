// From the rows of one squeue call to one observed job per agent (pure).
import type { ExitInfo, ObservedAgent } from '../types.js';
import { decodeWaitStatus, parseComment, type JobRow } from './parse.js';
import { endedExit, jobPhase } from './states.js';

export interface Selection {
  /** The job that stands for each agent of ours: live before ended, then the newest; a running
   * job stands while its walltime successor waits. */
  chosen: Map<string, JobRow>;
  /** Per agent, a queued walltime successor (`;next`) of its running job. */
  successors: Map<string, JobRow>;
  /** Live jobs of ours that lost to a newer live job of the same agent (a submit that timed out
   * but landed, then was retried): stop() cancels them with the agent. */
  extraLive: JobRow[];
  /** `agentctl.*` jobs that carry no owner mark: left alone, reported. */
  foreign: string[];
}

const live = (r: JobRow): boolean => jobPhase(r.state) !== 'ended';
const byNewest = (a: JobRow, b: JobRow): number => Number(b.jobId) - Number(a.jobId);
const waitingSuccessor = (r: JobRow): boolean => jobPhase(r.state) === 'pending' && parseComment(r.comment).next;

/**
 * Only jobs marked with our owner id are ours. Unlike tmux session names, Slurm job names need
 * not be unique, so a job of the same name that is not ours never blocks ours: one marked by
 * another controller (another state dir or host of the same user) is skipped, one without a mark
 * is reported as foreign. Jobs in `retired` (stopped by us) are skipped once they have ended, as
 * a killed tmux session disappears; one that is still RUNNING or COMPLETING (processes left)
 * stays visible, so a stop that did not take is tried again.
 */
export function selectJobs(
  rows: readonly JobRow[],
  owner: string,
  retired: ReadonlySet<string> = new Set(),
): Selection {
  const mine = new Map<string, JobRow[]>();
  const foreign = new Set<string>();
  for (const r of rows) {
    if (r.agent === null) continue;
    const mark = parseComment(r.comment);
    if (mark.owner === null) {
      foreign.add(`${r.jobName}(${r.jobId})`);
      continue;
    }
    if (mark.owner !== owner || (retired.has(r.jobId) && !live(r))) continue;
    mine.set(r.agent, [...(mine.get(r.agent) ?? []), r]);
  }
  const chosen = new Map<string, JobRow>();
  const successors = new Map<string, JobRow>();
  const extraLive: JobRow[] = [];
  for (const [agent, jobs] of mine) {
    const alive = jobs.filter(live).sort(byNewest);
    if (alive.length === 0) {
      chosen.set(agent, [...jobs].sort(byNewest)[0]!);
      continue;
    }
    const [newest, older] = [alive[0]!, alive.slice(1)];
    const current = waitingSuccessor(newest) ? older.find((r) => jobPhase(r.state) === 'running') : undefined;
    if (current) successors.set(agent, newest);
    chosen.set(agent, current ?? newest);
    extraLive.push(...alive.filter((r) => r !== newest && r !== current));
  }
  return { chosen, successors, extraLive, foreign: [...foreign].sort() };
}

/** The observed agent for a chosen job; `fileExit` is what its exit file says, if it exists. */
export function toObserved(
  agent: string,
  r: JobRow,
  fileExit: ExitInfo | null,
  takenAt: number,
  successor?: JobRow,
): ObservedAgent {
  const mark = parseComment(r.comment);
  const phase = jobPhase(r.state);
  const o: ObservedAgent = {
    name: agent,
    runtime: 'slurm',
    handle: r.jobId,
    hash: mark.hash,
    owner: mark.owner,
    alive: phase !== 'ended',
    state: r.state,
    ...(r.startTime !== null && phase !== 'pending' ? { startedAt: r.startTime } : {}),
    ...(r.node !== null && phase !== 'pending' ? { node: r.node } : {}),
    // A running job's EndTime is when its time limit ends it.
    ...(r.state === 'RUNNING' && r.endTime !== null ? { endsAt: r.endTime } : {}),
    ...(successor ? { successor: successor.jobId } : {}),
  };
  if (phase === 'pending') {
    o.pending = true;
    if (r.reason !== null) o.reason = r.reason;
  }
  if (phase === 'ended') {
    const at = fileExit?.at ?? r.endTime ?? takenAt;
    o.exit = endedExit(r.state, fileExit, decodeWaitStatus(r.waitStatus), at);
  }
  return o;
}

/** The jobs a stop of these agents must end: the observed one (when it is a job), the agent's
 * current live job, any older live one and a queued successor (unless it is to take over: a
 * rollover's handover). Stopped means no job of the agent runs. */
export function stopTargets(
  requests: readonly {
    name: string;
    observed?: { handle: string } | undefined;
    graceSeconds: number;
    keepSuccessor?: boolean;
  }[],
  rows: readonly JobRow[],
  owner: string,
): { name: string; jobId: string; graceSeconds: number; tty: boolean }[] {
  const sel = selectJobs(rows, owner);
  const byId = new Map(rows.map((r) => [r.jobId, r]));
  const out: { name: string; jobId: string; graceSeconds: number; tty: boolean }[] = [];
  for (const req of requests) {
    const ids = new Set<string>();
    if (req.observed && /^\d+$/.test(req.observed.handle)) ids.add(req.observed.handle);
    for (const r of sel.extraLive) if (r.agent === req.name) ids.add(r.jobId);
    const current = sel.chosen.get(req.name);
    if (current && jobPhase(current.state) !== 'ended') ids.add(current.jobId);
    const next = sel.successors.get(req.name);
    if (next && !req.keepSuccessor) ids.add(next.jobId);
    if (next && req.keepSuccessor) ids.delete(next.jobId);
    for (const id of ids)
      out.push({
        name: req.name,
        jobId: id,
        graceSeconds: req.graceSeconds,
        tty: parseComment(byId.get(id)?.comment ?? null).tty,
      });
  }
  return out;
}
