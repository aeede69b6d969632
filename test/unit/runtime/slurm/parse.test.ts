// Slurm output parsing (squeue -O rows, scontrol records, comments, wait statuses) and state mapping.
import { describe, expect, it } from 'vitest';
import {
  agentOfJobName,
  decodeExitPair,
  decodeWaitStatus,
  isInvalidJobId,
  parseComment,
  parseScontrolJob,
  parseSlurmTime,
  parseSqueue,
  SEP,
  SQUEUE_ARGS,
  SQUEUE_FORMAT,
  type JobRow,
} from '../../../../src/runtime/slurm/parse.js';
import { endedExit, isWindingDown, jobPhase } from '../../../../src/runtime/slurm/states.js';
import { selectJobs, stopTargets, toObserved } from '../../../../src/runtime/slurm/select.js';

const OWNER = 'testhost:0123456789';
const line = (f: string[]): string => f.join(SEP);

/** A squeue line in SQUEUE_FORMAT order: id, state, reason, exit_code, nodes, start, end, submit, batch host, reservation, name, comment. */
function sq(
  o: Partial<
    Record<
      'id' | 'state' | 'reason' | 'exit' | 'node' | 'start' | 'end' | 'submit' | 'host' | 'resv' | 'name' | 'comment',
      string
    >
  > = {},
): string {
  return line([
    o.id ?? '17',
    o.state ?? 'RUNNING',
    o.reason ?? 'None',
    o.exit ?? '0',
    o.node ?? 'vm',
    o.start ?? '2026-11-24T12:58:13',
    o.end ?? 'NONE',
    o.submit ?? '2026-11-24T12:58:12',
    o.host ?? 'vm',
    o.resv ?? '(null)',
    o.name ?? 'agentctl.worker',
    o.comment ?? `agentctl:abc;owner=${OWNER}`,
  ]);
}

describe('squeue invocation', () => {
  it('asks for every state of this user only, with no header, in one call', () => {
    expect(SQUEUE_ARGS).toContain('--me');
    expect(SQUEUE_ARGS).toContain('--states=all');
    expect(SQUEUE_ARGS).toContain('--noheader');
    expect(SQUEUE_FORMAT.split(',').map((f) => f.split(':')[0])).toEqual([
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
    ]);
    expect(SQUEUE_FORMAT.endsWith('Comment:0')).toBe(true);
  });
});

describe('parseSqueue', () => {
  it('reads a running job', () => {
    const [r] = parseSqueue(sq() + '\n');
    expect(r).toEqual<JobRow>({
      jobId: '17',
      state: 'RUNNING',
      reason: null,
      waitStatus: 0,
      node: 'vm',
      startTime: new Date('2026-11-24T12:58:13').getTime(),
      endTime: null,
      submitTime: new Date('2026-11-24T12:58:12').getTime(),
      batchHost: 'vm',
      reservation: null,
      jobName: 'agentctl.worker',
      agent: 'worker',
      comment: `agentctl:abc;owner=${OWNER}`,
    });
  });

  it('reads a pending job with its reason and no node', () => {
    const [r] = parseSqueue(sq({ state: 'PENDING', reason: 'Resources', node: '', start: 'N/A' }));
    expect(r).toMatchObject({ state: 'PENDING', reason: 'Resources', node: null, startTime: null });
  });

  it('reads the batch host and the reservation', () => {
    const [r] = parseSqueue(sq({ host: 'n01', resv: 'lab-week' }));
    expect(r).toMatchObject({ batchHost: 'n01', reservation: 'lab-week', node: 'vm' });
  });

  it('keeps a comment that holds the separator and spaces intact (it comes last)', () => {
    const [r] = parseSqueue(sq({ comment: `agentctl:abc;owner=h x${SEP}y` }));
    expect(r!.comment).toBe(`agentctl:abc;owner=h x${SEP}y`);
  });

  it('(null) comment, non-agentctl and invalid names, short and blank lines', () => {
    const rows = parseSqueue(
      [
        sq({ id: '1', comment: '(null)' }),
        sq({ id: '2', name: 'myjob' }),
        sq({ id: '3', name: 'agentctl.Bad_Name' }),
        'garbage',
        '',
        `x${SEP}y`,
      ].join('\n'),
    );
    expect(rows.map((r) => [r.jobId, r.agent, r.comment])).toEqual([
      ['1', 'worker', null],
      ['2', null, `agentctl:abc;owner=${OWNER}`],
      ['3', null, `agentctl:abc;owner=${OWNER}`],
    ]);
  });

  it('agent names from job names', () => {
    expect(agentOfJobName('agentctl.a-1')).toBe('a-1');
    expect(agentOfJobName('agentctl.')).toBeNull();
    expect(agentOfJobName('other.a')).toBeNull();
  });

  it('times: local YYYY-MM-DDTHH:MM:SS, else null', () => {
    expect(parseSlurmTime('2026-01-02T03:04:05')).toBe(new Date(2026, 0, 2, 3, 4, 5).getTime());
    expect(parseSlurmTime('N/A')).toBeNull();
    expect(parseSlurmTime('NONE')).toBeNull();
    expect(parseSlurmTime('Unknown')).toBeNull();
  });
});

describe('comments', () => {
  it.each([
    ['agentctl:abc;owner=h:1', { hash: 'abc', owner: 'h:1', tty: false }],
    ['agentctl:abc', { hash: 'abc', owner: null, tty: false }],
    ['agentctl:abc;owner=h x;y', { hash: 'abc', owner: 'h x;y', tty: false }],
    ['agentctl:abc;tty;owner=h:1', { hash: 'abc', owner: 'h:1', tty: true }],
    ['agentctl:abc;tty', { hash: 'abc', owner: null, tty: true }],
    ['agentctl:abc;owner=h;tty', { hash: 'abc', owner: 'h;tty', tty: false }],
    ['something else', { hash: null, owner: null, tty: false }],
    [null, { hash: null, owner: null, tty: false }],
  ])('%j → %j', (c, want) => expect(parseComment(c)).toEqual({ next: false, ...want }));
});

describe('exit statuses', () => {
  it.each([
    [0, { code: 0, signal: null }],
    [768, { code: 3, signal: null }],
    [36608, { code: 143, signal: null }],
    [15, { code: 143, signal: 'SIGTERM' }],
    [9, { code: 137, signal: 'SIGKILL' }],
    [null, { code: null, signal: null }],
  ])('raw wait status %j → %j', (s, want) => expect(decodeWaitStatus(s)).toEqual(want));

  it.each([
    ['3:0', { code: 3, signal: null }],
    ['0:9', { code: 137, signal: 'SIGKILL' }],
    ['0:0', { code: 0, signal: null }],
    [null, { code: null, signal: null }],
  ])('scontrol ExitCode=%j → %j', (p, want) => expect(decodeExitPair(p)).toEqual(want));
});

describe('parseScontrolJob', () => {
  const out =
    'JobId=6 JobName=agentctl.worker UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=1 Nice=0 Account=(null) QOS=(null) JobState=TIMEOUT Reason=TimeLimit Dependency=(null) Requeue=0 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:15 RunTime=00:01:01 TimeLimit=00:01:00 SubmitTime=2026-11-24T13:00:37 StartTime=2026-11-24T13:00:37 EndTime=2026-11-24T13:01:38 Comment=agentctl:abc;owner=h x JobState=FAKE\n';
  it('reads state, reason, exit and end time; the first key wins over free text later on', () => {
    expect(parseScontrolJob(out)).toEqual({
      jobId: '6',
      jobName: 'agentctl.worker',
      state: 'TIMEOUT',
      reason: 'TimeLimit',
      exit: { code: 143, signal: 'SIGTERM' },
      endTime: new Date('2026-11-24T13:01:38').getTime(),
    });
  });
  it('nothing to read', () => {
    expect(parseScontrolJob('')).toBeNull();
    expect(isInvalidJobId('slurm_load_jobs error: Invalid job id specified')).toBe(true);
  });
});

describe('state mapping', () => {
  const AT = 1_800_000_000_000;
  const rowOf = (state: string, exit = '0', reason = 'None'): JobRow =>
    parseSqueue(sq({ state, exit, reason, end: '2026-11-24T13:01:38' }))[0]!;
  const end = new Date('2026-11-24T13:01:38').getTime();
  const table: {
    state: string;
    exit?: string;
    reason?: string;
    file?: number;
    alive: boolean;
    pending?: boolean;
    why?: string;
    code?: number | null;
    signal?: string | null;
  }[] = [
    { state: 'PENDING', reason: 'Resources', alive: true, pending: true, why: 'Resources' },
    { state: 'PENDING', reason: 'Priority', alive: true, pending: true, why: 'Priority' },
    { state: 'RUNNING', alive: true },
    { state: 'CONFIGURING', alive: true },
    { state: 'COMPLETING', alive: true },
    { state: 'SUSPENDED', alive: true },
    { state: 'COMPLETED', exit: '0', alive: false, code: 0, signal: null },
    { state: 'FAILED', exit: '768', alive: false, code: 3, signal: null },
    { state: 'FAILED', exit: '768', file: 3, alive: false, code: 3, signal: null },
    { state: 'CANCELLED', exit: '15', alive: false, code: 143, signal: 'SIGTERM' },
    { state: 'CANCELLED', exit: '0', alive: false, code: null, signal: null },
    { state: 'TIMEOUT', exit: '36608', alive: false, code: 143, signal: null },
    { state: 'TIMEOUT', exit: '0', file: 0, alive: false, code: null, signal: null },
    { state: 'PREEMPTED', exit: '0', alive: false, code: null, signal: null },
    { state: 'NODE_FAIL', exit: '0', alive: false, code: null, signal: null },
    { state: 'OUT_OF_MEMORY', exit: '9', alive: false, code: 137, signal: 'SIGKILL' },
    { state: 'BOOT_FAIL', exit: '0', alive: false, code: null, signal: null },
    { state: 'DEADLINE', exit: '0', alive: false, code: null, signal: null },
  ];
  it.each(table)('$state (exit_code $exit, exit file $file) → alive $alive, code $code', (t) => {
    const fileExit = t.file === undefined ? null : { code: t.file, signal: null, at: AT };
    const o = toObserved('worker', rowOf(t.state, t.exit, t.reason), fileExit, AT + 5);
    expect(o.alive).toBe(t.alive);
    expect(o.state).toBe(t.state);
    expect(o.pending ?? false).toBe(t.pending ?? false);
    expect(o.reason).toBe(t.why);
    if (t.alive) expect(o.exit).toBeUndefined();
    else expect(o.exit).toEqual({ code: t.code, signal: t.signal, at: t.file === undefined ? end : AT });
  });

  it('a running job carries node, start time, hash, owner and job id as handle; a pending one no node', () => {
    const o = toObserved('worker', rowOf('RUNNING'), null, AT);
    expect(o).toMatchObject({
      name: 'worker',
      runtime: 'slurm',
      handle: '17',
      hash: 'abc',
      owner: OWNER,
      node: 'vm',
      startedAt: new Date('2026-11-24T12:58:13').getTime(),
    });
    expect(toObserved('worker', rowOf('PENDING'), null, AT).node).toBeUndefined();
  });

  it('an unknown state counts as running (never submit twice on a word we do not know)', () => {
    expect(jobPhase('SOMETHING_NEW')).toBe('running');
    expect(isWindingDown('COMPLETING')).toBe(true);
    expect(isWindingDown('RUNNING')).toBe(false);
    expect(isWindingDown('TIMEOUT')).toBe(true);
  });

  it('the exit file wins over Slurm', () => {
    expect(endedExit('FAILED', { code: 5, signal: null }, { code: 1, signal: null }, 1)).toEqual({
      code: 5,
      signal: null,
      at: 1,
    });
  });
});

describe('selectJobs: one job per agent', () => {
  const mine = `agentctl:h;owner=${OWNER}`;
  it('prefers the live job over a finished one, then the newest', () => {
    const rows = parseSqueue(
      [
        sq({ id: '5', state: 'FAILED', comment: mine }),
        sq({ id: '9', state: 'RUNNING', comment: mine }),
        sq({ id: '12', state: 'COMPLETED', comment: mine }),
        sq({ id: '3', name: 'agentctl.other', state: 'COMPLETED', comment: mine }),
        sq({ id: '4', name: 'agentctl.other', state: 'FAILED', comment: mine }),
      ].join('\n'),
    );
    const s = selectJobs(rows, OWNER);
    expect(s.chosen.get('worker')?.jobId).toBe('9');
    expect(s.chosen.get('other')?.jobId).toBe('4');
    expect(s.extraLive).toEqual([]);
  });

  it('two live jobs of one agent: the newer stands, the older is reported to be cancelled', () => {
    const rows = parseSqueue(
      [sq({ id: '10', comment: mine }), sq({ id: '8', state: 'PENDING', comment: mine })].join('\n'),
    );
    const s = selectJobs(rows, OWNER);
    expect(s.chosen.get('worker')?.jobId).toBe('10');
    expect(s.extraLive.map((r) => r.jobId)).toEqual(['8']);
  });

  it('jobs of another controller are skipped; unmarked agentctl.* jobs are foreign; other jobs ignored', () => {
    const rows = parseSqueue(
      [
        sq({ id: '1', comment: 'agentctl:h;owner=otherhost:999' }),
        sq({ id: '2', name: 'agentctl.x', comment: '(null)' }),
        sq({ id: '3', name: 'job', comment: '(null)' }),
      ].join('\n'),
    );
    const s = selectJobs(rows, OWNER);
    expect(s.chosen.size).toBe(0);
    expect(s.foreign).toEqual(['agentctl.x(2)']);
  });

  it('jobs we retired are not reported once ended; RUNNING or COMPLETING ones (processes left) are', () => {
    const rows = parseSqueue(
      [
        sq({ id: '5', state: 'CANCELLED', comment: mine }),
        sq({ id: '6', name: 'agentctl.b', comment: mine }),
        sq({ id: '7', name: 'agentctl.c', state: 'COMPLETING', comment: mine }),
      ].join('\n'),
    );
    const s = selectJobs(rows, OWNER, new Set(['5', '6', '7']));
    expect(s.chosen.has('worker')).toBe(false);
    expect(s.chosen.get('b')?.jobId).toBe('6');
    expect(s.chosen.get('c')?.jobId).toBe('7');
  });

  it('a queued walltime successor (;next) does not replace the running job: it is its successor', () => {
    const next = `agentctl:h;next;owner=${OWNER}`;
    const rows = parseSqueue(
      [
        sq({ id: '10', comment: mine, end: '2026-11-24T14:00:00' }),
        sq({ id: '11', state: 'PENDING', reason: 'Dependency', comment: next }),
      ].join('\n'),
    );
    const s = selectJobs(rows, OWNER);
    expect(s.chosen.get('worker')?.jobId).toBe('10');
    expect(s.successors.get('worker')?.jobId).toBe('11');
    expect(s.extraLive).toEqual([]);
    const o = toObserved('worker', s.chosen.get('worker')!, null, 0, s.successors.get('worker'));
    expect(o).toMatchObject({ handle: '10', successor: '11', endsAt: new Date('2026-11-24T14:00:00').getTime() });
  });

  it('once the old job has ended, the successor stands for the agent', () => {
    const rows = parseSqueue(
      [
        sq({ id: '10', state: 'FAILED', comment: mine }),
        sq({ id: '11', state: 'PENDING', reason: 'None', comment: `agentctl:h;next;owner=${OWNER}` }),
      ].join('\n'),
    );
    const s = selectJobs(rows, OWNER);
    expect(s.chosen.get('worker')?.jobId).toBe('11');
    expect(s.successors.size).toBe(0);
  });

  it('stop targets: the successor goes with the agent, except on a handover', () => {
    const rows = parseSqueue(
      [
        sq({ id: '10', comment: mine }),
        sq({ id: '11', state: 'PENDING', comment: `agentctl:h;next;tty;owner=${OWNER}` }),
      ].join('\n'),
    );
    expect(stopTargets([{ name: 'worker', observed: { handle: '10' }, graceSeconds: 2 }], rows, OWNER)).toEqual([
      { name: 'worker', jobId: '10', graceSeconds: 2, tty: false },
      { name: 'worker', jobId: '11', graceSeconds: 2, tty: true },
    ]);
    expect(
      stopTargets(
        [{ name: 'worker', observed: { handle: '10' }, graceSeconds: 2, keepSuccessor: true }],
        rows,
        OWNER,
      ).map((t) => t.jobId),
    ).toEqual(['10']);
    // An allocation session's handle is no job id.
    expect(
      stopTargets([{ name: 'other', observed: { handle: 'mx1abc123456' }, graceSeconds: 2 }], rows, OWNER),
    ).toEqual([]);
  });
});
