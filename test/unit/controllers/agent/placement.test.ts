// Runtime keys: this machine's runtimes by name, a Host's as `runtime@host`; the record wins over the spec.
import { describe, expect, it } from 'vitest';
import { hostOfKey, placementOf, runtimeKeyOf, targetKeyOf } from '../../../../controllers/agent/placement.js';
import type { DesiredAgent } from '../../../../src/spec/load.js';

const desired = (runtime: 'tmux' | 'slurm', remoteHost?: string): DesiredAgent =>
  ({ name: 'a', spec: { runtime }, ...(remoteHost ? { remoteHost } : {}) }) as unknown as DesiredAgent;

describe('runtimeKeyOf', () => {
  it.each([
    ['local spec', desired('tmux'), undefined, 'tmux'],
    ['remote spec', desired('tmux', 'gpu1'), undefined, 'tmux@gpu1'],
    ['remote slurm spec', desired('slurm', 'hpc'), undefined, 'slurm@hpc'],
    ['record on a host wins', desired('tmux'), { runtime: 'tmux' as const, host: 'gpu1' }, 'tmux@gpu1'],
    ['local record wins over a moved spec', desired('tmux', 'gpu2'), { runtime: 'tmux' as const }, 'tmux'],
    ['record without spec', undefined, { runtime: 'slurm' as const, host: 'hpc' }, 'slurm@hpc'],
    ['nothing', undefined, undefined, 'tmux'],
  ])('%s', (_, d, rec, key) => {
    expect(runtimeKeyOf(d, rec)).toBe(key);
  });

  it('targets the spec, reads the host back from a key, and places a first record', () => {
    expect(targetKeyOf(desired('slurm', 'hpc'))).toBe('slurm@hpc');
    expect([hostOfKey('tmux'), hostOfKey('tmux@gpu1')]).toEqual([undefined, 'gpu1']);
    expect(placementOf(desired('tmux', 'gpu1'))).toEqual({ runtime: 'tmux', host: 'gpu1' });
    expect(placementOf(desired('slurm'))).toEqual({ runtime: 'slurm' });
    expect(placementOf(undefined)).toEqual({ runtime: 'tmux' });
  });
});
