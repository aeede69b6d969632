// The gate: calls fail at once while a host is down, a probe in the background brings it back.
import { describe, expect, it } from 'vitest';
import type { ExecResult, Executor } from '../../../src/exec/executor.js';
import { HostUnreachableError } from '../../../src/exec/ssh-errors.js';
import { GatedExecutor, HostGate } from '../../../src/hosts/host-gate.js';

const down = new HostUnreachableError('gpu1', 'refused', 'start sshd', 'Connection refused');
const ok: ExecResult = { exitCode: 0, stdout: 'x', stderr: '', timedOut: false };

function fake(): Executor & { calls: number; failing: boolean } {
  const e = {
    target: 'gpu1',
    spawned: 0,
    calls: 0,
    failing: false,
    async run(): Promise<ExecResult> {
      e.calls++;
      if (e.failing) throw down;
      return ok;
    },
  };
  return e;
}

describe('HostGate', () => {
  it('fails fast while down, probes in the background, and tells listeners both ways', async () => {
    const inner = fake();
    let probeUp = false;
    const gate = new HostGate({
      probe: async () => {
        if (!probeUp) throw down;
      },
      minRetryMs: 10,
      maxRetryMs: 20,
    });
    const seen: boolean[] = [];
    gate.onChange((up) => seen.push(up));
    const exec = new GatedExecutor(inner, gate);
    expect(await exec.run('true', [])).toBe(ok);
    inner.failing = true;
    await expect(exec.run('true', [])).rejects.toBe(down);
    expect(gate.down).toBe(down);
    const calls = inner.calls;
    await expect(exec.run('true', [])).rejects.toBe(down);
    expect(inner.calls).toBe(calls);
    await new Promise((r) => setTimeout(r, 50));
    expect(gate.down).toBe(down);
    inner.failing = false;
    probeUp = true;
    for (let i = 0; i < 100 && gate.down; i++) await new Promise((r) => setTimeout(r, 10));
    expect(gate.down).toBeUndefined();
    expect(await exec.run('true', [])).toBe(ok);
    expect(seen).toEqual([false, true]);
    gate.close();
  });

  it('passes other errors through without closing the gate', async () => {
    const gate = new HostGate({ probe: async () => undefined });
    const exec = new GatedExecutor(
      { target: 'x', spawned: 0, run: async () => Promise.reject(new Error('boom')) },
      gate,
    );
    await expect(exec.run('true', [])).rejects.toThrow('boom');
    expect(gate.down).toBeUndefined();
  });
});
