// Allocation agents' pure parts: which job is the allocation, its socket, the host step, placement records.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import {
  allocationSocket,
  findAllocation,
  HOST_SCRIPT,
  hostStepArgs,
  parsePlacement,
} from '../../../../src/runtime/slurm/allocation.js';
import type { JobRow } from '../../../../src/runtime/slurm/parse.js';

const row = (r: Partial<JobRow>): JobRow => ({
  jobId: '1',
  state: 'RUNNING',
  reason: null,
  waitStatus: 0,
  node: 'n01',
  startTime: 0,
  endTime: null,
  submitTime: 0,
  batchHost: 'n01',
  reservation: null,
  jobName: 'x',
  agent: null,
  comment: null,
  ...r,
});

describe('findAllocation', () => {
  const rows: { case: string; rows: JobRow[]; want: ReturnType<typeof findAllocation> }[] = [
    {
      case: 'a running job of that name',
      rows: [row({ jobId: '5', jobName: 'lab' })],
      want: { jobId: '5', node: 'n01' },
    },
    { case: 'a queued one does not count', rows: [row({ jobId: '5', jobName: 'lab', state: 'PENDING' })], want: null },
    { case: 'COMPLETING does not count', rows: [row({ jobId: '5', jobName: 'lab', state: 'COMPLETING' })], want: null },
    {
      case: 'the oldest of several, so agents stay put',
      rows: [row({ jobId: '9', jobName: 'lab' }), row({ jobId: '7', jobName: 'lab', batchHost: 'n07' })],
      want: { jobId: '7', node: 'n07' },
    },
    {
      case: 'a job in the reservation of that name',
      rows: [row({ jobId: '3', jobName: 'other', reservation: 'lab' })],
      want: { jobId: '3', node: 'n01' },
    },
    {
      case: 'a job named so wins over the reservation',
      rows: [row({ jobId: '3', reservation: 'lab' }), row({ jobId: '4', jobName: 'lab' })],
      want: { jobId: '4', node: 'n01' },
    },
    {
      case: 'no batch host, one node',
      rows: [row({ jobName: 'lab', batchHost: null, node: 'n02' })],
      want: { jobId: '1', node: 'n02' },
    },
    {
      case: 'no batch host, a node list: Slurm picks',
      rows: [row({ jobName: 'lab', batchHost: null, node: 'n[01-04]' })],
      want: { jobId: '1', node: null },
    },
    { case: 'nothing of that name', rows: [row({ jobName: 'other' })], want: null },
  ];
  it.each(rows)('$case', ({ rows: r, want }) => expect(findAllocation(r, 'lab')).toEqual(want));
});

describe('host step', () => {
  it('a socket per allocation job and controller', () => {
    expect(allocationSocket('12', 'h:1')).toMatch(/^agentctl-a12-[0-9a-f]{8}$/);
    expect(allocationSocket('12', 'h:1')).not.toBe(allocationSocket('12', 'h:2'));
  });
  it('srun runs the holding shell on the allocation’s node, reading nothing, writing to a file', () => {
    const a = hostStepArgs({ jobId: '12', node: 'n01' }, 'sock', '/run/alloc/host-12.out');
    expect(a).toEqual(
      expect.arrayContaining([
        '--jobid=12',
        '--overlap',
        '--nodelist=n01',
        '--input=none',
        '--output=/run/alloc/host-12.out',
        '--job-name=agentctl-tmux',
      ]),
    );
    expect(a.slice(-5)).toEqual(['/bin/sh', '-c', HOST_SCRIPT, 'agentctl-host', 'sock']);
  });
  it('the holding shell is valid sh, runs tmux -D and ends it on TERM', async () => {
    expect((await execa('sh', ['-n', '-c', HOST_SCRIPT])).exitCode).toBe(0);
    expect(HOST_SCRIPT).toContain('tmux -L "$1" -D -f /dev/null');
    expect(HOST_SCRIPT).toContain('trap \'kill -TERM "$t" 2>/dev/null\' TERM INT HUP');
  });
});

describe('parsePlacement', () => {
  it.each([
    [
      '{"allocation":"lab","jobId":"5","node":"n01","token":"mx1abc123456","hash":"h","at":1}',
      { allocation: 'lab', jobId: '5', node: 'n01', token: 'mx1abc123456', hash: 'h', at: 1 },
    ],
    [
      '{"allocation":"lab","jobId":null,"node":null,"token":"t","hash":"h","at":1}',
      { allocation: 'lab', jobId: null, node: null, token: 't', hash: 'h', at: 1 },
    ],
    ['{"allocation":"lab"}', null],
    ['not json', null],
  ])('%s', (text, want) => expect(parsePlacement(text)).toEqual(want));
});
