// get -o name/--no-headers/-l/-w, and the fleet-wide and selected requests (suspend --all, resume --all, restart -l), against real tmux.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { agentYaml, CLI, waitFor } from '../../helpers/cli.js';
import { useTmuxSandbox } from '../../helpers/fixture.js';

const fx = useTmuxSandbox();

/** Three sleepers: a and b in team x, c in team y. */
async function fleet(): Promise<void> {
  const labelled = (name: string, team: string): string =>
    agentYaml(name, ['sleep', '3600']).replace(`name: ${name}\n`, `name: ${name}\n  labels: {team: ${team}}\n`);
  fx.sb.write('a.yaml', labelled('a', 'x'));
  fx.sb.write('b.yaml', labelled('b', 'x'));
  fx.sb.write('c.yaml', labelled('c', 'y'));
  expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
}

interface Item {
  name: string;
  phase: string;
  desiredState: string;
  restarts: number;
  handle: string | null;
}
const items = async (): Promise<Map<string, Item>> =>
  new Map(
    (JSON.parse((await fx.sb.run(['get', '-o', 'json'])).stdout) as { items: Item[] }).items.map((i) => [i.name, i]),
  );

describe('get: output forms and selectors', () => {
  it('-o name, --no-headers, -l; a bad selector is a usage error', async () => {
    await fleet();
    expect((await fx.sb.run(['get', '-o', 'name'])).stdout).toBe('agent/a\nagent/b\nagent/c');
    const plain = await fx.sb.run(['get', '--no-headers', '-l', 'team=x']);
    expect(plain.stdout.split('\n').map((l) => l.split(/\s+/).slice(0, 4))).toEqual([
      ['a', 'tmux', 'Running', 'Running'],
      ['b', 'tmux', 'Running', 'Running'],
    ]);
    expect((await fx.sb.run(['get', '-o', 'name', '-l', 'team in (y,z)'])).stdout).toBe('agent/c');
    expect((await fx.sb.run(['get', '-o', 'name', '-l', '!team'])).stdout).toBe('');
    expect(
      JSON.parse((await fx.sb.run(['get', '-o', 'json', '-l', 'team!=x'])).stdout).items.map((i: Item) => i.name),
    ).toEqual(['c']);
    const bad = await fx.sb.run(['get', '-l', 'team in x']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe(
      'agentctl: invalid label selector "team in x" at character 1: a set is written `key in (a,b)`',
    );
    // No colour in a pipe.
    expect((await fx.sb.run(['get'])).stdout).not.toContain('\u001b[');
    expect((await fx.sb.run(['get'], { FORCE_COLOR: '1' })).stdout).toContain('\u001b[32mRunning\u001b[39m');
  });

  it('-w prints the listing, then each row that changes, once', async () => {
    await fleet();
    const proc = execa('node', [CLI, 'get', '-w', '-l', 'team=x'], { env: fx.sb.env, reject: false, buffer: false });
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const lines = (): string[] => out.split('\n').filter(Boolean);
    await waitFor(async () => lines().length === 3);
    expect(lines()[0]).toMatch(/^NAME\s+RUNTIME\s+DESIRED\s+PHASE/);
    expect((await fx.sb.run(['suspend', 'a'])).exitCode).toBe(0);
    expect((await fx.sb.run(['suspend', 'c'])).exitCode).toBe(0); // not selected: never printed
    await waitFor(async () => lines().some((l) => /^a\s+tmux\s+Suspended\s+Suspended\s+True/.test(l)));
    // Quiet while nothing changes (two full reloads).
    const seen = lines().length;
    await new Promise((r) => setTimeout(r, 4500));
    expect(lines()).toHaveLength(seen);
    expect(lines().some((l) => l.startsWith('c '))).toBe(false);
    // Rows stay aligned to the first listing's columns.
    const col = (l: string): number => l.indexOf('Suspended');
    expect(col(lines().find((l) => /^a\s+tmux\s+Suspended/.test(l))!)).toBe(lines()[0]!.indexOf('DESIRED'));
    proc.kill('SIGINT');
    expect((await proc).exitCode).toBe(0);
  });

  it('-w -o json is one event per line: ADDED for the listing, then MODIFIED and DELETED', async () => {
    await fleet();
    const proc = execa('node', [CLI, 'get', '-w', '-o', 'json'], { env: fx.sb.env, reject: false, buffer: false });
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const events = (): { type: string; object: Item }[] =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string; object: Item });
    await waitFor(async () => events().length === 3);
    expect(events().map((e) => [e.type, e.object.name])).toEqual([
      ['ADDED', 'a'],
      ['ADDED', 'b'],
      ['ADDED', 'c'],
    ]);
    fx.sb.remove('c.yaml');
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    await waitFor(async () => events().some((e) => e.type === 'DELETED' && e.object.name === 'c'));
    proc.kill('SIGTERM');
    expect((await proc).exitCode).toBe(0);
  });
});

describe('requests by selector and for the whole fleet', () => {
  it('suspend --all --stop stops every agent as a suspension; resume --all brings them back', async () => {
    await fleet();
    const s = await fx.sb.run(['suspend', '--all', '--stop']);
    expect(s.exitCode).toBe(0);
    expect(s.stdout.split('\n')).toHaveLength(3);
    expect((await fx.tmux.sessions()).size).toBe(0);
    expect([...(await items()).values()].map((i) => [i.name, i.phase, i.desiredState])).toEqual([
      ['a', 'Suspended', 'Suspended'],
      ['b', 'Suspended', 'Suspended'],
      ['c', 'Suspended', 'Suspended'],
    ]);
    expect((await fx.sb.run(['resume', '--all'])).exitCode).toBe(0);
    expect([...(await fx.tmux.sessions()).keys()].sort()).toEqual(['a', 'b', 'c']);
    expect((await fx.sb.run(['resume', '--all'])).stdout).toBe('no agent is suspended');
  });

  it('restart -l restarts the selected agents only; names or a selector are required', async () => {
    await fleet();
    const before = await items();
    const r = await fx.sb.run(['restart', '-l', 'team=y']);
    expect(r.exitCode).toBe(0);
    const after = await items();
    expect(after.get('c')!.handle).not.toBe(before.get('c')!.handle);
    expect(after.get('a')!.handle).toBe(before.get('a')!.handle);
    const none = await fx.sb.run(['restart']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toBe('agentctl: restart: name the agents or select them with -l key=value');
    expect((await fx.sb.run(['suspend', '--all', 'a'])).exitCode).toBe(2);
    expect((await fx.sb.run(['suspend', '-l', 'team=nobody'])).exitCode).toBe(1);
  });
});
