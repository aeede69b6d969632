// Commands inside a job: srun's step options and the argv of the command there (tmux never starts a server).
import { describe, expect, it } from 'vitest';
import type { ExecOptions, Executor } from '../../../../src/exec/executor.js';
import { srunExecutor, stepArgs, stepCommand } from '../../../../src/runtime/slurm/srun-exec.js';

describe('stepArgs', () => {
  it('one task on one node beside the agent, pinned when the node is known', () => {
    expect(stepArgs({ jobId: '7', node: 'n01' })).toEqual([
      '--jobid=7',
      '--overlap',
      '--nodes=1',
      '--ntasks=1',
      '--mem=0',
      '--quiet',
      '--job-name=agentctl',
      '--nodelist=n01',
    ]);
    expect(stepArgs({ jobId: '7' }, 'x')).not.toContain('--nodelist=n01');
    expect(stepArgs({ jobId: '7', node: null }, 'x')).toContain('--job-name=x');
  });
});

describe('stepCommand', () => {
  it.each([
    ['tmux', ['-L', 's', 'ls'], ['env', '-u', 'TMUX', '-u', 'TMUX_TMPDIR', 'tmux', '-N', '-L', 's', 'ls']],
    ['kill', ['-s', 'TERM', '--', '-5'], ['kill', '-s', 'TERM', '--', '-5']],
  ])('%s %j → %j', (file, args, want) => expect(stepCommand(file, args)).toEqual(want));
});

describe('srunExecutor', () => {
  it('runs srun on the outer executor with the same options', async () => {
    const calls: { file: string; args: readonly string[]; options?: ExecOptions }[] = [];
    const outer: Executor = {
      target: 'local',
      spawned: 0,
      run: async (file, args, options) => {
        calls.push({ file, args, ...(options ? { options } : {}) });
        return { exitCode: 0, stdout: '', stderr: '', timedOut: false };
      },
    };
    const e = srunExecutor(outer, { jobId: '9', node: 'vm' });
    expect(e.target).toBe('job 9');
    await e.run('tmux', ['-L', 's', 'source-file', '-'], { input: 'x\n', timeoutMs: 5 });
    expect(calls[0]).toEqual({
      file: 'srun',
      args: [...stepArgs({ jobId: '9', node: 'vm' }), ...stepCommand('tmux', ['-L', 's', 'source-file', '-'])],
      options: { input: 'x\n', timeoutMs: 5 },
    });
  });
});
