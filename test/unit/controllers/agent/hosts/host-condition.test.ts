// HostReady from a host's state, its transition time, and the plan of an agent whose host did not answer.
import { describe, expect, it } from 'vitest';
import { hostReady, unavailablePlan, withHostReady } from '../../../../../controllers/agent/hosts/host-condition.js';
import { HostUnreachableError } from '../../../../../src/exec/ssh-errors.js';
import type { HostState } from '../../../../../src/hosts/remote-host.js';

const state = (s: Partial<HostState>): HostState => ({
  name: 'gpu1',
  reachable: true,
  checks: [],
  changedAt: 0,
  checkedAt: 0,
  ...s,
});

describe('hostReady', () => {
  it.each([
    [
      'not in the specs',
      false,
      undefined,
      [
        'False',
        'HostNotDefined',
        'Host gpu1 is not in the specs with ssh: add it (kind: Host) to reach this agent again',
      ],
    ],
    ['never contacted', true, undefined, ['Unknown', 'Connecting', '']],
    ['not answered yet', true, state({ reachable: null }), ['Unknown', 'Connecting', '']],
    [
      'unreachable',
      true,
      state({ reachable: false, fix: 'start sshd on 10.0.0.1 port 22' }),
      ['False', 'HostUnreachable', 'start sshd on 10.0.0.1 port 22'],
    ],
    [
      'preflight failed',
      true,
      state({
        checks: [
          { name: 'ssh', ok: true, message: 'ok' },
          { name: 'tmux', ok: false, message: 'tmux not found on gpu1', fix: 'install tmux on gpu1' },
        ],
      }),
      ['False', 'PreflightFailed', 'tmux not found on gpu1: install tmux on gpu1'],
    ],
    ['ready', true, state({ tmuxVersion: 'tmux 3.3a', latencyMs: 12 }), ['True', 'HostReady', 'tmux 3.3a']],
  ])('%s', (_, known, s, [status, reason, message]) => {
    expect(hostReady('gpu1', known, s)).toEqual({ type: 'HostReady', status, reason, message });
  });
});

describe('withHostReady', () => {
  const ready = {
    type: 'Ready' as const,
    status: 'True' as const,
    reason: 'Ready',
    message: '',
    lastTransitionTime: 't0',
  };
  const host = {
    type: 'HostReady' as const,
    status: 'True' as const,
    reason: 'HostReady',
    message: 'tmux 3.3a',
    lastTransitionTime: 't0',
  };
  it('keeps the transition time while the status holds, sets it when it changes, drops it without a host', () => {
    expect(
      withHostReady([ready], [ready, host], hostReady('gpu1', true, state({ tmuxVersion: 'tmux 3.4' })), 't1')[1],
    ).toMatchObject({ message: 'tmux 3.4', lastTransitionTime: 't0' });
    expect(
      withHostReady([ready], [ready, host], hostReady('gpu1', true, state({ reachable: false, fix: 'x' })), 't1')[1],
    ).toMatchObject({ status: 'False', lastTransitionTime: 't1' });
    expect(withHostReady([ready, host], [ready, host], undefined, 't1')).toEqual([ready]);
  });
});

describe('unavailablePlan', () => {
  it('is HostUnreachable with the fix for a host that did not answer, RuntimeUnavailable otherwise', () => {
    const err = new HostUnreachableError(
      'gpu1',
      'refused',
      'start sshd on gpu1 port 22',
      'ssh: connect to host gpu1 port 22: Connection refused',
    );
    expect(unavailablePlan('tmux@gpu1', err)).toEqual({
      action: 'wait',
      reason: 'HostUnreachable',
      message: 'start sshd on gpu1 port 22',
      phase: 'Unknown',
    });
    expect(unavailablePlan('slurm', new Error('squeue failed'))).toEqual({
      action: 'wait',
      reason: 'RuntimeUnavailable',
      message: 'cannot observe slurm: squeue failed',
      phase: 'Unknown',
    });
  });
});
