// A spec file swapped for a symlink out of the folder, a FIFO, or a duplicate name: SpecInvalid with the reason, agent kept.
import { describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { useTmuxSandbox } from '../../helpers/fixture.js';
import { agentYaml } from '../../helpers/cli.js';

const fx = useTmuxSandbox();

interface Item {
  name: string;
  desiredState: string;
  phase: string;
  message: string;
  conditions: { type: string; status: string; message: string }[];
}

describe('an unreadable spec is invalid, not removed', () => {
  it('symlink out of the folder, FIFO, duplicate name: SpecInvalid=True naming file and reason, DESIRED kept', async () => {
    for (const n of ['a', 'b', 'c']) fx.sb.write(`${n}.yaml`, agentYaml(n, ['sleep', '600']));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    const pids = new Map([...(await fx.tmux.sessions())].map(([n, s]) => [n, s.pid]));
    const outside = join(fx.sb.dir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'a.yaml'), agentYaml('a', ['sleep', '600']));
    rmSync(join(fx.sb.specs, 'a.yaml'));
    symlinkSync(join(outside, 'a.yaml'), join(fx.sb.specs, 'a.yaml'));
    rmSync(join(fx.sb.specs, 'b.yaml'));
    await execa('mkfifo', [join(fx.sb.specs, 'b.yaml')]);
    fx.sb.write('c2.yaml', agentYaml('c', ['sleep', '600']));

    const once = await fx.sb.run(['reconcile', '--once', '--timeout', '10s']);
    expect(once.stdout).toMatch(/a: not converged: Running \(SpecInvalid\): .*symlink leads outside the specs folder/);
    expect(once.stdout).toMatch(/b: not converged: Running \(SpecInvalid\): .*not a regular file \(a FIFO\)/);
    expect(once.stdout).toMatch(/c: not converged: Running \(SpecInvalid\): .*duplicate agent name "c"/);
    expect(once.stdout).not.toMatch(/spec removed/);

    const items = JSON.parse((await fx.sb.run(['get', '-o', 'json'])).stdout).items as Item[];
    const why = { a: /symlink leads outside/, b: /a FIFO/, c: /duplicate agent name/ };
    for (const i of items) {
      expect(i.desiredState, i.name).toBe('Running');
      expect(i.phase, i.name).toBe('Running');
      const cond = i.conditions.find((c) => c.type === 'SpecInvalid');
      expect(cond?.status, i.name).toBe('True');
      expect(cond?.message, i.name).toMatch(why[i.name as keyof typeof why]);
    }
    const table = (await fx.sb.run(['get'])).stdout;
    expect(table).not.toMatch(/Absent/);
    // Not pruned, not restarted.
    const after = await fx.tmux.sessions();
    for (const [n, pid] of pids) expect(after.get(n)?.pid, n).toBe(pid);
    // Fixed again: valid, and nothing restarted either.
    rmSync(join(fx.sb.specs, 'a.yaml'));
    rmSync(join(fx.sb.specs, 'b.yaml'));
    rmSync(join(fx.sb.specs, 'c2.yaml'));
    for (const n of ['a', 'b']) fx.sb.write(`${n}.yaml`, agentYaml(n, ['sleep', '600']));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    const fixed = await fx.tmux.sessions();
    for (const [n, pid] of pids) expect(fixed.get(n)?.pid, n).toBe(pid);
  });
});
