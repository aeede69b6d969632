// Runtime capabilities: which specs get a terminal, which starts run at once.
import { describe, expect, it } from 'vitest';
import { slurmCapabilities, tmuxCapabilities } from '../../../src/runtime/capabilities.js';
import type { AgentSpec } from '../../../src/spec/schema.js';

const spec = (o: object): AgentSpec => ({ command: ['true'], ...o }) as unknown as AgentSpec;

describe('runtime capabilities', () => {
  it('tmux: runs at once, always a terminal', () => {
    expect(tmuxCapabilities.startsRunning).toBe(true);
    expect(tmuxCapabilities.hasTerminal(spec({ runtime: 'tmux' }))).toBe(true);
  });
  it.each([
    ['batch job', {}, false],
    ['interactive job', { interactive: true }, true],
    ['inside an allocation', { allocation: 'pool' }, true],
  ])('slurm %s: terminal %s', (_, slurm, terminal) => {
    expect(slurmCapabilities.startsRunning).toBe(false);
    expect(slurmCapabilities.hasTerminal(spec({ runtime: 'slurm', slurm }))).toBe(terminal);
  });
});
