// The kill step: its srun argv, its report, and the /proc walk that finds what Slurm's tracking loses (run by real awk).
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import {
  DESCENDANTS_AWK,
  KILL_SCRIPT,
  killStepArgs,
  parseKillReport,
} from '../../../../src/runtime/slurm/kill-step.js';

describe('killStepArgs', () => {
  it('a step beside the agent on every node, holding nothing, running the script with sh', () => {
    const a = killStepArgs('42');
    expect(a.slice(0, 6)).toEqual([
      '--jobid=42',
      '--overlap',
      '--ntasks-per-node=1',
      '--mem=0',
      '--quiet',
      '--job-name=agentctl-kill',
    ]);
    expect(a.slice(6)).toEqual(['/bin/sh', '-c', KILL_SCRIPT, 'agentctl-kill']);
  });

  it('the script is valid sh', async () => {
    const r = await execa('sh', ['-n', '-c', KILL_SCRIPT], { reject: false });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });
});

describe('parseKillReport', () => {
  it.each([
    ['agentctl-kill node=vm killed=5 left=0\n', { nodes: 1, killed: 5, left: 0 }],
    [
      'srun: warning\nagentctl-kill node=a killed=2 left=0\nagentctl-kill node=b killed=3 left=1\n',
      { nodes: 2, killed: 5, left: 1 },
    ],
    ['', null],
    ['agentctl-kill node=vm killed=x left=0', null],
  ])('%j → %j', (out, want) => expect(parseKillReport(out)).toEqual(want));
});

describe('descendants from /proc/*/stat', () => {
  // pid (comm) state ppid ...: names may hold spaces and parentheses.
  const stat = [
    '1 (init) S 0 1 1',
    '100 (sh) S 1 100 100',
    '101 (tmux: server) S 100 100 100',
    '102 (sh) S 101 102 102',
    '103 (weird) name)) S 102 102 102',
    '104 (sleep) S 103 102 102',
    '200 (other) S 1 200 200',
    '201 (sleep) S 200 200 200',
  ].join('\n');
  const walk = async (seeds: string): Promise<string[]> =>
    (await execa('awk', [DESCENDANTS_AWK, seeds], { input: `${stat}\n` })).stdout.split('\n').filter(Boolean).sort();

  it('follows children below a parent whose name holds a space (tmux: server)', async () => {
    expect(await walk('100')).toEqual(['100', '101', '102', '103', '104']);
  });
  it('several seeds, each once; unrelated processes stay out', async () => {
    expect(await walk('102\n200 102')).toEqual(['102', '103', '104', '200', '201']);
  });
  it('no seeds, nothing', async () => {
    expect(await walk('')).toEqual([]);
  });
});
