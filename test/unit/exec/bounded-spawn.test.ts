// boundedSpawn returns at its deadline even when a process it started still holds the pipes.
import { describe, expect, it } from 'vitest';
import { boundedSpawn } from '../../../src/exec/bounded-spawn.js';

describe('boundedSpawn', () => {
  it('returns output and exit code', async () => {
    const r = await boundedSpawn('sh', ['-c', 'cat; echo err >&2; exit 3'], { input: 'in\n', timeoutMs: 10_000 });
    expect(r).toEqual({ exitCode: 3, stdout: 'in\n', stderr: 'err\n', timedOut: false });
  });

  it('returns at the deadline although a grandchild keeps stdout open (as an ssh master does)', async () => {
    // The background sleep inherits stdout and outlives its parent: execa alone would wait 600 s.
    const r = await boundedSpawn('sh', ['-c', 'sleep 600 & echo $!; exec sleep 600'], { timeoutMs: 300, graceMs: 100 });
    expect([r.exitCode, r.timedOut]).toEqual([124, true]);
    const orphan = Number(r.stdout.trim());
    expect(orphan).toBeGreaterThan(1);
    process.kill(orphan, 'SIGKILL');
  });

  it('reports a signal death as 128+N and a missing program as a spawn error', async () => {
    expect((await boundedSpawn('sh', ['-c', 'kill -TERM $$'], { timeoutMs: 10_000 })).exitCode).toBe(143);
    expect((await boundedSpawn('agentctl-no-such-program', [], { timeoutMs: 10_000 })).spawnError).toBe('ENOENT');
  });
});
