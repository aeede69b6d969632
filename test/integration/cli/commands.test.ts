// The compiled CLI's contract: validate, diff and get exit codes and JSON shapes, secrets redacted.
import { describe, expect, it } from 'vitest';
import { useTmuxSandbox } from '../../helpers/fixture.js';
import { join } from 'node:path';
import { parse as parseYamlText } from 'yaml';
import { agentYaml, ROOT } from '../../helpers/cli.js';

const fx = useTmuxSandbox();

const FIXTURES = join(ROOT, 'test', 'fixtures', 'specs');
const SECRET = 'hunter2-very-secret';
const SECRET2 = 'correct-horse-battery';

interface DiffAction {
  agent: string;
  action: string;
  reason: string;
  patch: unknown;
}

async function diffJson(extra: string[] = []): Promise<{ exitCode: number; stdout: string; actions: DiffAction[] }> {
  const r = await fx.sb.run(['diff', '-o', 'json', ...extra]);
  const parsed = JSON.parse(r.stdout) as { actions: DiffAction[] };
  expect(Object.keys(parsed)).toEqual(['actions']);
  for (const a of parsed.actions) {
    expect(a).toHaveProperty('agent');
    expect(a).toHaveProperty('patch');
    expect(typeof a.agent).toBe('string');
    expect(['create', 'recreate', 'restart', 'stop', 'prune', 'none', 'wait']).toContain(a.action);
    expect(a.reason).toMatch(/^[A-Z][A-Za-z]*$/);
  }
  return { exitCode: r.exitCode, stdout: r.stdout, actions: parsed.actions };
}

describe('validate', () => {
  it('exit 0 for a valid folder (defaults, multi-document, nested, skipped _ files)', async () => {
    const r = await fx.sb.run(['validate', '--specs', join(FIXTURES, 'valid')]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe('3 agent(s) in 2 file(s): valid');
  });

  it('exit 1 for an invalid folder, one exact line per error', async () => {
    const dir = join(FIXTURES, 'invalid');
    const r = await fx.sb.run(['validate', '--specs', dir]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      `${dir}/syntax.yaml:7:1: YAML: Tabs are not allowed as indentation`,
      `${dir}/typo.yaml:8:18: spec.restartPolicy: expected one of "Always"|"OnFailure"|"Never"`,
      `${dir}/typo.yaml:9:3: spec.stopGracePeriod: unknown field`,
      '3 error(s) in 2 file(s)',
    ]);
  });

  it('-o json gives the errors as data', async () => {
    const r = await fx.sb.run(['validate', '-o', 'json', '--specs', join(FIXTURES, 'invalid')]);
    expect(r.exitCode).toBe(1);
    const v = JSON.parse(r.stdout) as {
      valid: boolean;
      errors: { file: string; line: number; col: number; path: string; message: string }[];
    };
    expect(v.valid).toBe(false);
    expect(v.errors.map((e) => [e.file.split('/').at(-1), e.line, e.col, e.path])).toEqual([
      ['syntax.yaml', 7, 1, ''],
      ['typo.yaml', 8, 18, 'spec.restartPolicy'],
      ['typo.yaml', 9, 3, 'spec.stopGracePeriod'],
    ]);
  });

  it('exit 1 for a missing folder; AGENTCTL_SPECS is honoured and --specs wins over it', async () => {
    expect((await fx.sb.run(['validate'], { AGENTCTL_SPECS: join(fx.sb.dir, 'nope') })).exitCode).toBe(1);
    expect((await fx.sb.run(['validate'], { AGENTCTL_SPECS: join(FIXTURES, 'valid') })).exitCode).toBe(0);
    expect(
      (await fx.sb.run(['validate', '--specs', join(FIXTURES, 'invalid')], { AGENTCTL_SPECS: join(FIXTURES, 'valid') }))
        .exitCode,
    ).toBe(1);
  });

  it('never starts anything', async () => {
    fx.sb.write('a.yaml', agentYaml('a', ['sleep', '3600']));
    expect((await fx.sb.run(['validate'])).exitCode).toBe(0);
    expect((await fx.tmux.sessions()).size).toBe(0);
  });
});

describe('diff', () => {
  it('exit 1 with create actions before the first reconcile; secrets redacted; nothing started', async () => {
    fx.sb.write(
      'a.yaml',
      agentYaml('a', ['sleep', '3600'], { env: { API_TOKEN: SECRET, DB_PASSWORD: SECRET2, PLAIN: 'visible' } }),
    );
    const d = await diffJson();
    expect(d.exitCode).toBe(1);
    expect(d.actions).toHaveLength(1);
    expect(d.actions[0]).toMatchObject({ agent: 'a', action: 'create', reason: 'NotRunning' });
    expect(d.actions[0]!.patch).toMatchObject({
      command: ['sleep', '3600'],
      env: { API_TOKEN: '<redacted>', DB_PASSWORD: '<redacted>', PLAIN: 'visible' },
    });
    expect(d.stdout).not.toContain(SECRET);
    expect(d.stdout).not.toContain(SECRET2);
    const text = await fx.sb.run(['diff']);
    expect(text.exitCode).toBe(1);
    expect(`${text.stdout}${text.stderr}`).not.toContain(SECRET);
    expect((await fx.tmux.sessions()).size).toBe(0);
  });

  it('exit 0 in sync; 1 with a recreate whose patch holds only the change (secret still redacted); 2 for an invalid spec', async () => {
    fx.sb.write('a.yaml', agentYaml('a', ['sleep', '3600'], { env: { API_TOKEN: SECRET, X: '1' } }));
    fx.sb.write('b.yaml', agentYaml('b', ['sleep', '3600']));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);

    const inSync = await diffJson();
    expect(inSync.exitCode).toBe(0);
    expect(inSync.actions.map((a) => [a.agent, a.action, a.patch])).toEqual([
      ['a', 'none', {}],
      ['b', 'none', {}],
    ]);
    const text = await fx.sb.run(['diff']);
    expect(text.exitCode).toBe(0);

    fx.sb.write('a.yaml', agentYaml('a', ['sleep', '3600'], { env: { API_TOKEN: `${SECRET}-rotated`, X: '2' } }));
    const pending = await diffJson();
    expect(pending.exitCode).toBe(1);
    const a = pending.actions.find((x) => x.agent === 'a')!;
    expect(a).toMatchObject({
      action: 'recreate',
      reason: 'SpecChanged',
      patch: { env: { API_TOKEN: '<redacted>', X: '2' } },
    });
    expect(Object.keys(a.patch as object)).toEqual(['env']);
    expect(pending.actions.find((x) => x.agent === 'b')).toMatchObject({ action: 'none' });
    expect(pending.stdout).not.toContain(SECRET);

    // A change that never restarts: still a pending change (patch), but action none.
    fx.sb.write(
      'a.yaml',
      agentYaml('a', ['sleep', '3600'], { env: { API_TOKEN: SECRET, X: '1' }, restartPolicy: 'Never' }),
    );
    const soft = await diffJson();
    expect(soft.actions.find((x) => x.agent === 'a')).toMatchObject({
      action: 'none',
      patch: { restartPolicy: 'Never' },
    });

    fx.sb.write('b.yaml', agentYaml('b', ['sleep', '3600'], { state: 'Stopped' }));
    const stop = await diffJson();
    expect(stop.actions.find((x) => x.agent === 'b')).toMatchObject({
      action: 'stop',
      reason: 'StateStopped',
      patch: { state: 'Stopped' },
    });
    expect(stop.exitCode).toBe(1);

    fx.sb.write(
      'b.yaml',
      'apiVersion: agentctl/v1\nkind: Agent\nmetadata: {name: b}\nspec: {command: [x], bogus: 1}\n',
    );
    const invalid = await fx.sb.run(['diff', '-o', 'json']);
    expect(invalid.exitCode).toBe(2);
    expect(invalid.stdout).toContain(`${join(fx.sb.specs, 'b.yaml')}:4:22: spec.bogus: unknown field`);
    // diff changed nothing.
    expect([...(await fx.tmux.sessions()).keys()].sort()).toEqual(['a', 'b']);
  });

  it('shows a prune for an owned agent whose spec is gone', async () => {
    for (const n of ['a', 'b', 'c']) fx.sb.write(`${n}.yaml`, agentYaml(n, ['sleep', '3600']));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    fx.sb.remove('c.yaml');
    const d = await diffJson();
    expect(d.exitCode).toBe(1);
    expect(d.actions.find((x) => x.agent === 'c')).toMatchObject({ action: 'prune', reason: 'SpecRemoved' });
    expect((await fx.tmux.sessions()).has('c')).toBe(true);
  });
});

describe('get', () => {
  const CONTRACT = [
    'name',
    'runtime',
    'desiredState',
    'phase',
    'ready',
    'restarts',
    'specHash',
    'source',
    'handle',
    'conditions',
    'message',
  ];

  it('-o json: {items:[...]} with the contract fields and types', async () => {
    fx.sb.write('a.yaml', agentYaml('a', ['sleep', '3600'], { env: { API_TOKEN: SECRET } }));
    fx.sb.write('b.yaml', agentYaml('b', ['sleep', '3600'], { state: 'Stopped' }));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    const r = await fx.sb.run(['get', '-o', 'json']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toContain(SECRET);
    const out = JSON.parse(r.stdout) as { items: Record<string, unknown>[] };
    expect(Object.keys(out)).toEqual(['items']);
    expect(out.items.map((i) => i.name)).toEqual(['a', 'b']);
    for (const i of out.items) for (const k of CONTRACT) expect(i, `${String(i.name)}.${k}`).toHaveProperty(k);
    const [a, b] = out.items;
    const s = await fx.tmux.sessions();
    expect(a).toMatchObject({
      runtime: 'tmux',
      desiredState: 'Running',
      phase: 'Running',
      ready: true,
      restarts: 0,
      specHash: s.get('a')!.hash,
      source: join(fx.sb.specs, 'a.yaml'),
      message: '',
    });
    expect(typeof a!.handle).toBe('string');
    expect(b).toMatchObject({ desiredState: 'Stopped', phase: 'Stopped', ready: false, handle: null });
    for (const c of a!.conditions as Record<string, unknown>[]) {
      expect(Object.keys(c).sort()).toEqual(['lastTransitionTime', 'message', 'reason', 'status', 'type']);
      expect(['True', 'False', 'Unknown']).toContain(c.status);
    }
    expect((a!.conditions as { type: string; status: string }[]).find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('-o yaml carries the same items; a named agent filters; an unknown name exits 1', async () => {
    fx.sb.write('a.yaml', agentYaml('a', ['sleep', '3600']));
    fx.sb.write('b.yaml', agentYaml('b', ['sleep', '3600']));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    const y = await fx.sb.run(['get', '-o', 'yaml']);
    expect(y.exitCode).toBe(0);
    const j = await fx.sb.run(['get', '-o', 'json']);
    expect(parseYamlText(y.stdout)).toEqual(JSON.parse(j.stdout));
    const one = await fx.sb.run(['get', 'b', '-o', 'json']);
    expect((JSON.parse(one.stdout) as { items: { name: string }[] }).items.map((i) => i.name)).toEqual(['b']);
    const unknown = await fx.sb.run(['get', 'nope']);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('nope');
    const table = await fx.sb.run(['get']);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/^NAME\s+RUNTIME\s+DESIRED\s+PHASE\s+READY\s+RESTARTS\s+AGE/);
    expect(table.stdout).toMatch(/\ba\s+tmux\s+Running\s+Running\s+True\s+0\b/);
  });

  it('lists a spec that was never reconciled as Pending', async () => {
    fx.sb.write('a.yaml', agentYaml('a', ['sleep', '3600']));
    const r = await fx.sb.run(['get', '-o', 'json']);
    expect((JSON.parse(r.stdout) as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ name: 'a', phase: 'Pending', ready: false, handle: null }),
    ]);
  });
});
