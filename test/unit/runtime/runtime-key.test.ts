// Runtime keys: formatted and parsed in one place, each the inverse of the other.
import { describe, expect, it } from 'vitest';
import { formatRuntimeKey, hostOfKey, parseRuntimeKey, type RuntimeKey } from '../../../src/runtime/runtime-key.js';

describe('runtime keys', () => {
  it.each<[RuntimeKey, string]>([
    [{ runtime: 'tmux' }, 'tmux'],
    [{ runtime: 'slurm' }, 'slurm'],
    [{ runtime: 'tmux', host: 'gpu1' }, 'tmux@gpu1'],
    [{ runtime: 'slurm', host: 'login.example.org' }, 'slurm@login.example.org'],
  ])('%j is %s and back', (k, s) => {
    expect(formatRuntimeKey(k)).toBe(s);
    expect(parseRuntimeKey(s)).toEqual(k);
    expect(hostOfKey(s)).toBe(k.host);
  });

  it('refuses a runtime that is not one of ours', () => {
    expect(() => parseRuntimeKey('docker@gpu1')).toThrow();
  });
});
