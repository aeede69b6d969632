// Safety against a real tmux: a broken file stops nothing, the mass-prune guard, argv never reaches a shell.
import { describe, expect, it } from 'vitest';
import { useTmuxSandbox } from '../../helpers/fixture.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentYaml, waitFor } from '../../helpers/cli.js';
import type { TestTmux } from '../../helpers/tmux.js';
import { removeTree } from '../../helpers/remove-tree.js';

const fx = useTmuxSandbox();

const sleeper = (name: string, extra: Record<string, unknown> = {}): string =>
  agentYaml(name, ['sleep', '3600'], extra);
type Sessions = Awaited<ReturnType<TestTmux['sessions']>>;
const pids = (s: Sessions): Record<string, number> => Object.fromEntries([...s].map(([n, v]) => [n, v.pid]));

interface Item {
  name: string;
  phase: string;
  conditions: { type: string; status: string; reason: string; message: string }[];
}
async function getItems(): Promise<Map<string, Item>> {
  const r = await fx.sb.run(['get', '-o', 'json']);
  expect(r.exitCode).toBe(0);
  return new Map((JSON.parse(r.stdout) as { items: Item[] }).items.map((i) => [i.name, i]));
}

async function converge(names: string[]): Promise<Sessions> {
  for (const n of names) fx.sb.write(`${n}.yaml`, sleeper(n));
  const r = await fx.sb.run(['reconcile', '--once']);
  expect(r.exitCode).toBe(0);
  const s = await fx.tmux.sessions();
  expect([...s.keys()].sort()).toEqual([...names].sort());
  return s;
}

describe('a broken spec file stops nothing', () => {
  it('reconcile --once exits 1 naming the file and line; every agent keeps its process; the broken one shows SpecInvalid', async () => {
    const s0 = await converge(['a', 'b', 'c']);
    // Line 5 of b.yaml is `spec: {...`; the tab on line 6 is the syntax error.
    fx.sb.write('b.yaml', `${sleeper('b', { env: { CHANGED: '1' } })}\tbroken: [\n`);
    const r = await fx.sb.run(['reconcile', '--once']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`${join(fx.sb.specs, 'b.yaml')}:6:1: YAML: Tabs are not allowed as indentation`);
    expect(pids(await fx.tmux.sessions())).toEqual(pids(s0));

    const items = await getItems();
    expect(items.get('b')?.conditions.find((c) => c.type === 'SpecInvalid')).toMatchObject({ status: 'True' });
    expect(items.get('a')?.conditions.find((c) => c.type === 'SpecInvalid')?.status).not.toBe('True');

    // validate and diff agree: 1 invalid, 2 error.
    expect((await fx.sb.run(['validate'])).exitCode).toBe(1);
    expect((await fx.sb.run(['diff'])).exitCode).toBe(2);
  });

  it('while a file is broken, the other files are still applied, but nothing is pruned', async () => {
    const s0 = await converge(['a', 'b', 'c']);
    fx.sb.write(
      'b.yaml',
      'apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: b\nspec:\n  command: [sleep, "3600"\n',
    );
    fx.sb.write('a.yaml', sleeper('a', { env: { X: '2' } }));
    fx.sb.remove('c.yaml');
    const r = await fx.sb.run(['reconcile', '--once']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/b\.yaml:\d+:\d+: YAML: /);
    const s1 = await fx.tmux.sessions();
    expect(s1.get('a')!.pid).not.toBe(s0.get('a')!.pid);
    expect(s1.get('b')!.pid).toBe(s0.get('b')!.pid);
    // c's spec is gone, but it may have moved into the broken file: it is kept.
    expect(s1.get('c')!.pid).toBe(s0.get('c')!.pid);

    // Fixing the file lets the prune go ahead.
    fx.sb.write('b.yaml', sleeper('b'));
    const fixed = await fx.sb.run(['reconcile', '--once']);
    expect(fixed.exitCode).toBe(0);
    const s2 = await fx.tmux.sessions();
    expect([...s2.keys()].sort()).toEqual(['a', 'b']);
    expect(s2.get('b')!.pid).toBe(s0.get('b')!.pid);
  });

  it('a schema error (not syntax) also isolates only its file', async () => {
    const s0 = await converge(['a', 'b']);
    fx.sb.write('b.yaml', sleeper('b', { restartPolicy: 'Sometimes' }));
    const r = await fx.sb.run(['reconcile', '--once']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/b\.yaml:5:\d+: spec\.restartPolicy: expected one of/);
    expect(pids(await fx.tmux.sessions())).toEqual(pids(s0));
  });
});

describe('the mass-prune guard', () => {
  it('an emptied folder prunes nothing without --allow-mass-prune, and everything with it', async () => {
    const s0 = await converge(['a', 'b', 'c', 'd']);
    for (const n of ['a', 'b', 'c', 'd']) fx.sb.remove(`${n}.yaml`);
    const refused = await fx.sb.run(['reconcile', '--once']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain('--allow-mass-prune');
    expect(pids(await fx.tmux.sessions())).toEqual(pids(s0));

    const d = await fx.sb.run(['diff', '-o', 'json']);
    expect(d.exitCode).toBe(1);
    const actions = (JSON.parse(d.stdout) as { actions: { agent: string; action: string; reason: string }[] }).actions;
    expect(actions.map((a) => [a.agent, a.action, a.reason])).toEqual(
      ['a', 'b', 'c', 'd'].map((n) => [n, 'wait', 'PruneBlocked']),
    );

    const allowed = await fx.sb.run(['reconcile', '--once', '--allow-mass-prune']);
    expect(allowed.exitCode).toBe(0);
    expect((await fx.tmux.sessions()).size).toBe(0);
    expect((await getItems()).size).toBe(0);
  });

  it('a missing folder prunes nothing without --allow-mass-prune', async () => {
    const s0 = await converge(['a', 'b']);
    removeTree(fx.sb.specs);
    const r = await fx.sb.run(['reconcile', '--once']);
    expect(r.exitCode).toBe(1);
    expect(pids(await fx.tmux.sessions())).toEqual(pids(s0));
    mkdirSync(fx.sb.specs);
  });

  it('more than half at once is refused; one at a time is not', async () => {
    const s0 = await converge(['a', 'b', 'c', 'd']);
    for (const n of ['a', 'b', 'c']) fx.sb.remove(`${n}.yaml`);
    const refused = await fx.sb.run(['reconcile', '--once']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toMatch(/would prune 3 of 4 owned agents/);
    expect(pids(await fx.tmux.sessions())).toEqual(pids(s0));

    fx.sb.write('a.yaml', sleeper('a'));
    fx.sb.write('b.yaml', sleeper('b'));
    const one = await fx.sb.run(['reconcile', '--once']);
    expect(one.exitCode).toBe(0);
    expect([...(await fx.tmux.sessions()).keys()].sort()).toEqual(['a', 'b', 'd']);
  });
});

describe('argv never reaches a shell', () => {
  it('$(...), ; rm -rf, backticks and #{...} are passed literally and run nothing', async () => {
    const victim = join(fx.sb.dir, 'victim');
    mkdirSync(victim);
    writeFileSync(join(victim, 'keep.txt'), 'still here');
    const marker = join(fx.sb.dir, 'pwned');
    const out = join(fx.sb.dir, 'argv.json');
    const script = join(fx.sb.dir, 'print-argv.mjs');
    // Prints its argv to a file, then stays up (so that the agent counts as running).
    writeFileSync(
      script,
      "import { writeFileSync } from 'node:fs';\nwriteFileSync(process.argv[2], JSON.stringify({ argv: process.argv.slice(3), env: process.env.HOSTILE }));\nsetInterval(() => {}, 1 << 30);\n",
    );
    const hostile = [
      `$(touch ${marker}-subst)`,
      `; rm -rf ${victim}`,
      `\`touch ${marker}-tick\``,
      `#(touch ${marker}-fmt)`,
      '#{session_name}',
      'it\'s "quoted"',
      'a;',
      '',
      '~',
    ];
    const hostileEnv = `$(touch ${marker}-env); rm -rf ${victim}`;
    fx.sb.write(
      'hostile.yaml',
      agentYaml('hostile', [process.execPath, script, out, ...hostile], { env: { HOSTILE: hostileEnv } }),
    );

    const r = await fx.sb.run(['reconcile', '--once']);
    expect(r.exitCode).toBe(0);
    const got = await waitFor(
      async () => existsSync(out) && (JSON.parse(readFileSync(out, 'utf8')) as { argv: string[]; env: string }),
    );
    expect(got.argv).toEqual(hostile);
    expect(got.env).toBe(hostileEnv);
    for (const suffix of ['-subst', '-tick', '-fmt', '-env']) expect(existsSync(marker + suffix), suffix).toBe(false);
    expect(readFileSync(join(victim, 'keep.txt'), 'utf8')).toBe('still here');
    expect((await fx.tmux.sessions()).get('hostile')?.dead).toBe(false);
  });
});
