// State-dir faults end to end: a registry write that fails is a failed step, a lost lock makes
// the controller step down.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { useTmuxSandbox } from '../../helpers/fixture.js';
import { agentYaml, waitFor } from '../../helpers/cli.js';
import { startController, type RunningController } from '../../helpers/controller.js';
import { removeTree } from '../../helpers/remove-tree.js';

let ctl: RunningController | undefined;
let immutable: string | undefined;
const fx = useTmuxSandbox(async () => {
  if (immutable) execFileSync('chattr', ['-i', immutable]);
  immutable = undefined;
  await ctl?.stop();
  ctl = undefined;
});

describe('registry writes that fail', () => {
  it('an immutable record: --once rolls the agent, reports the step failed and exits 1 (not "converged")', async () => {
    fx.sb.write('a1.yaml', agentYaml('a1', ['sleep', '600']));
    fx.sb.write('a2.yaml', agentYaml('a2', ['sleep', '600']));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    immutable = join(fx.sb.state, 'registry', 'a1.json');
    execFileSync('chattr', ['+i', immutable]);
    fx.sb.write('a1.yaml', agentYaml('a1', ['sleep', '601']));
    const r = await fx.sb.run(['reconcile', '--once', '--timeout', '20s'], {}, 60_000);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/a1: not converged: .*\(StepFailed\)/);
    expect(r.stdout).toMatch(/1\/2 agent\(s\) converged/);
  });
});

describe('restart and suspend on a state dir that cannot be written', () => {
  it('print one line naming the state dir and exit 2, without a stack trace', async () => {
    fx.sb.write('a.yaml', agentYaml('a', ['sleep', '600']));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    const record = join(fx.sb.state, 'registry', 'a.json');
    // Only the record immutable: the lock is taken, the request cannot be recorded.
    immutable = record;
    execFileSync('chattr', ['+i', record]);
    for (const cmd of [
      ['restart', 'a'],
      ['suspend', 'a'],
    ]) {
      const r = await fx.sb.run(cmd);
      expect(r.exitCode, cmd[0]).toBe(2);
      expect(r.stderr.trim().split('\n'), cmd[0]).toHaveLength(1);
      expect(r.stderr, cmd[0]).toMatch(new RegExp(`cannot record the ${cmd[0]} of a in .*: EPERM`));
      expect(r.stderr, cmd[0]).not.toMatch(/\n\s+at /);
    }
    execFileSync('chattr', ['-i', record]);
    // The state dir itself immutable: not even the lock can be taken.
    immutable = fx.sb.state;
    execFileSync('chattr', ['+i', fx.sb.state]);
    for (const cmd of [
      ['restart', 'a'],
      ['suspend', 'a'],
    ]) {
      const r = await fx.sb.run(cmd);
      expect(r.exitCode, cmd[0]).toBe(2);
      expect(r.stderr.trim().split('\n'), cmd[0]).toHaveLength(1);
      expect(r.stderr, cmd[0]).toMatch(/cannot take the lock in .*: EPERM/);
    }
  });
});

describe('the state dir lock', () => {
  it('rm -rf of the state dir under a running controller: it steps down (exit 2); its agents keep running', async () => {
    fx.sb.write('a.yaml', agentYaml('a', ['sleep', '600']));
    ctl = await startController(fx.sb, ['--resync', '1s']);
    await waitFor(async () => (await fx.tmux.sessions()).size === 1);
    const pid = (await fx.tmux.sessions()).get('a')!.pid;
    removeTree(fx.sb.state);
    const { exitCode } = await ctl.proc.then((r) => ({ exitCode: r.exitCode }));
    ctl = undefined;
    expect(exitCode).toBe(2);
    expect((await fx.tmux.sessions()).get('a')?.pid).toBe(pid);
    // Nobody removed a lock that was no longer its own.
    expect(existsSync(join(fx.sb.state, 'lock'))).toBe(false);
  }, 60_000);
});
