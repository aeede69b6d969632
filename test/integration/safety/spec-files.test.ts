// Only a file that parsed can delete an agent: skipped entries are invalid files, against a real tmux.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentYaml } from '../../helpers/cli.js';
import { useTmuxSandbox } from '../../helpers/fixture.js';
import type { TestTmux } from '../../helpers/tmux.js';

const fx = useTmuxSandbox();

const sleeper = (name: string, extra: Record<string, unknown> = {}): string =>
  agentYaml(name, ['sleep', '3600'], extra);
type Sessions = Awaited<ReturnType<TestTmux['sessions']>>;
const pids = (s: Sessions): Record<string, number> => Object.fromEntries([...s].map(([n, v]) => [n, v.pid]));

async function converge(names: string[]): Promise<Sessions> {
  for (const n of names) fx.sb.write(`${n}.yaml`, sleeper(n));
  const r = await fx.sb.run(['reconcile', '--once']);
  expect(r.exitCode).toBe(0);
  return fx.tmux.sessions();
}

describe('an entry the loader skips never prunes its agent', () => {
  it('a spec replaced by a symlink out of the folder: validate exits 1, --once keeps the agent', async () => {
    const s0 = await converge(['h1', 'h2', 'h3']);
    const outside = join(fx.sb.dir, 'o');
    mkdirSync(outside);
    writeFileSync(join(outside, 'h1.yaml'), sleeper('h1'));
    fx.sb.remove('h1.yaml');
    symlinkSync(join(outside, 'h1.yaml'), join(fx.sb.specs, 'h1.yaml'));

    const v = await fx.sb.run(['validate']);
    expect(v.exitCode).toBe(1);
    expect(v.stdout).toContain(`${join(fx.sb.specs, 'h1.yaml')}:1:1: symlink leads outside the specs folder`);
    const r = await fx.sb.run(['reconcile', '--once']);
    expect(r.exitCode).toBe(1);
    expect(pids(await fx.tmux.sessions())).toEqual(pids(s0));
  });

  it('a spec replaced by a FIFO: validate exits 1 at once, --once keeps the agent', async () => {
    const s0 = await converge(['h1', 'h2', 'h3']);
    fx.sb.remove('h2.yaml');
    execFileSync('mkfifo', [join(fx.sb.specs, 'h2.yaml')]);
    const v = await fx.sb.run(['validate'], {}, 15_000);
    expect(v.exitCode).toBe(1);
    expect(v.stdout).toContain(`${join(fx.sb.specs, 'h2.yaml')}:1:1: not a regular file (a FIFO)`);
    const r = await fx.sb.run(['reconcile', '--once'], {}, 30_000);
    expect(r.exitCode).toBe(1);
    expect(pids(await fx.tmux.sessions())).toEqual(pids(s0));
  });

  it('a _defaults.yaml symlinked out of the folder restarts nothing', async () => {
    fx.sb.write('_defaults.yaml', 'spec:\n  env: {TEAM: a}\n');
    const s0 = await converge(['h1', 'h2']);
    const outside = join(fx.sb.dir, 'o');
    mkdirSync(outside);
    writeFileSync(join(outside, 'd.yaml'), 'spec:\n  env: {TEAM: b}\n');
    rmSync(join(fx.sb.specs, '_defaults.yaml'));
    symlinkSync(join(outside, 'd.yaml'), join(fx.sb.specs, '_defaults.yaml'));
    expect((await fx.sb.run(['validate'])).exitCode).toBe(1);
    const r = await fx.sb.run(['reconcile', '--once']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('_defaults.yaml:1:1: symlink leads outside the specs folder');
    expect(pids(await fx.tmux.sessions())).toEqual(pids(s0));
  });
});

describe('nothing a spec names can hang validate', () => {
  it('an envFile that is a FIFO, or /dev/zero: validate answers (exit 0: envFiles are read at start)', async () => {
    const fifo = join(fx.sb.dir, 'f.env');
    execFileSync('mkfifo', [fifo]);
    fx.sb.write('a.yaml', sleeper('a', { envFiles: [fifo] }));
    fx.sb.write('b.yaml', sleeper('b', { envFiles: ['/dev/zero'] }));
    const v = await fx.sb.run(['validate'], {}, 15_000);
    expect(v.exitCode).toBe(0);
  });

  it('an overlay that is a FIFO: validate answers with the file named', async () => {
    fx.sb.write('a.yaml', sleeper('a'));
    mkdirSync(join(fx.sb.specs, '_overlays', 'testhost'), { recursive: true });
    execFileSync('mkfifo', [join(fx.sb.specs, '_overlays', 'testhost', 'a.yaml')]);
    const v = await fx.sb.run(['validate'], {}, 15_000);
    expect(v.exitCode).toBe(1);
    expect(v.stdout).toContain('_overlays/testhost/a.yaml:1:1: not a regular file (a FIFO)');
  });
});
