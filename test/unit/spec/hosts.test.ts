// kind: Host documents: validated like agents, and the placement of agents that name a Host.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { placement, type AssembledHost } from '../../../src/spec/assemble-hosts.js';
import { formatSpecError } from '../../../src/spec/errors.js';
import { loadSpecs } from '../../../src/spec/load.js';
import { HostDocument } from '../../../src/spec/schema.js';
import { removeTree } from '../../helpers/remove-tree.js';

const agent = (name: string, host?: string): string =>
  `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: ${name}\nspec:\n  command: [sleep, '60']\n${host ? `  host: ${host}\n` : ''}`;
/** A Host: `ssh` on line 6 when given. */
const host = (name: string, ssh?: string, extra = ''): string =>
  `apiVersion: agentctl/v1\nkind: Host\nmetadata:\n  name: ${name}\nspec:\n${ssh ? `  ssh: ${ssh}\n` : '  slurm: false\n'}${extra}`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeTree(d);
});

async function load(files: Record<string, string>, self = 'controller') {
  const dir = mkdtempSync(join(tmpdir(), 'agentctl-hosts-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  const set = await loadSpecs({ specsDir: dir, host: self, home: '/home/me' });
  const shown = (s: string): string => s.replaceAll(`${dir}/`, '');
  return {
    set,
    errors: set.errors.map((e) => shown(formatSpecError(e))),
    invalid: Object.fromEntries([...set.invalidNames].map(([n, f]) => [n, shown(f)])),
    agents: Object.fromEntries([...set.agents].map(([n, a]) => [n, a.remoteHost ?? 'here'])),
    elsewhere: Object.fromEntries(set.elsewhere),
  };
}

describe('Host documents', () => {
  it('load beside agents, in any file, with the schema defaults filled in', async () => {
    const r = await load({
      'fleet.yaml': `${host('gpu1', '{host: 127.0.0.2, user: agent}')}---\n${agent('a', 'gpu1')}`,
    });
    expect(r.errors).toEqual([]);
    const h = r.set.hosts.get('gpu1')!;
    expect([h.name, h.file.endsWith('fleet.yaml'), h.line]).toEqual(['gpu1', true, 1]);
    expect(h.document.spec.ssh).toEqual({
      host: '127.0.0.2',
      port: 22,
      user: 'agent',
      jump: [],
      connectTimeoutSeconds: 10,
      strictHostKeyChecking: 'yes',
    });
    expect(r.agents).toEqual({ a: 'gpu1' });
  });

  it.each([
    {
      case: 'unknown field',
      text: host('gpu1', '{host: h, prot: 22}'),
      errors: ['x.yaml:6:18: spec.ssh.prot: unknown field'],
    },
    {
      case: 'unknown spec field',
      text: host('gpu1', undefined, '  tmuxSockett: x\n'),
      errors: ['x.yaml:7:3: spec.tmuxSockett: unknown field'],
    },
    {
      case: 'a jump hop a shell would run',
      text: host('gpu1', '{host: h, jump: [login, "a;touch x"]}'),
      errors: ['x.yaml:6:32: spec.ssh.jump[1]: a jump host: host, user@host or user@host:port'],
    },
    {
      case: 'a port out of range',
      text: host('gpu1', '{host: h, port: 70000}'),
      errors: ['x.yaml:6:24: spec.ssh.port: Too big: expected number to be <=65535'],
    },
    {
      case: 'a missing ssh host',
      text: host('gpu1', '{user: u}'),
      errors: ['x.yaml:6:8: spec.ssh.host: required field is missing (expected string)'],
    },
    {
      case: 'a bad name',
      text: host('GPU_1', '{host: h}'),
      errors: [expect.stringMatching(/^x\.yaml:4:9: metadata\.name: must be lowercase/)],
    },
  ])('report $case at file:line:col', async ({ text, errors }) => {
    expect((await load({ 'x.yaml': text })).errors).toEqual(errors);
  });

  it('duplicate Host names are an error on both files, while an Agent may share a Host’s name', async () => {
    const r = await load({
      'a.yaml': host('gpu1', '{host: h}'),
      'b.yaml': `${host('gpu1', '{host: k}')}---\n${agent('gpu1')}`,
    });
    expect(r.errors).toEqual([
      'a.yaml:4:9: metadata.name: duplicate Host name "gpu1" (also at b.yaml:1)',
      'b.yaml:4:9: metadata.name: duplicate Host name "gpu1" (also at a.yaml:1)',
    ]);
    expect(r.set.hosts.size).toBe(0);
    expect(r.invalid).toEqual({ gpu1: 'b.yaml' });
  });
});

describe('placement of agents', () => {
  it('drives agents on an ssh Host from here, and keeps the v1 meaning for every other name', async () => {
    const r = await load({
      'hosts.yaml': `${host('gpu1', '{host: h}')}---\n${host('pull-only')}`,
      'agents.yaml': [
        agent('remote', 'gpu1'),
        agent('pulled', 'pull-only'),
        agent('unknown', 'gpu9'),
        agent('mine', 'controller'),
        agent('any'),
      ].join('---\n'),
    });
    expect(r.errors).toEqual([]);
    expect(r.agents).toEqual({ any: 'here', mine: 'here', remote: 'gpu1' });
    expect(r.elsewhere).toEqual({ pulled: 'pull-only', unknown: 'gpu9' });
  });

  it('keeps the agents of a Host whose file is broken as they are (SpecInvalid), not elsewhere', async () => {
    const r = await load({
      'hosts.yaml': host('gpu1', '{host: h, prot: 1}'),
      'agents.yaml': `${agent('a', 'gpu1')}---\n${agent('b')}`,
    });
    expect(r.invalid).toEqual({ a: 'hosts.yaml' });
    expect(r.set.hosts.size).toBe(0);
    expect([r.agents, r.elsewhere]).toEqual([{ b: 'here' }, {}]);
  });

  it('isolates a file whose Host does not parse, with the Host’s agents', async () => {
    const r = await load({ 'hosts.yaml': `${host('gpu1', '{host: h')}`, 'agents.yaml': agent('a', 'gpu1') });
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.invalid).toEqual({ a: 'hosts.yaml' });
  });

  it('a broken agent in a Host’s file isolates the Host, and so its agents elsewhere', async () => {
    const r = await load({
      'fleet.yaml': `${host('gpu1', '{host: h}')}---\n${agent('x').replace('command', 'comand')}`,
      'b.yaml': agent('b', 'gpu1'),
    });
    expect(r.invalid).toEqual({ b: 'fleet.yaml', x: 'fleet.yaml' });
  });
});

describe('placement()', () => {
  const doc = (name: string, ssh: boolean): [string, AssembledHost] => [
    name,
    {
      name,
      file: 'h.yaml',
      line: 1,
      document: HostDocument.parse({
        apiVersion: 'agentctl/v1',
        kind: 'Host',
        metadata: { name },
        spec: ssh ? { ssh: { host: 'x' } } : {},
      }),
    },
  ];
  const hosts = new Map([doc('gpu1', true), doc('self', true), doc('pull', false)]);
  const invalid = new Map([['broken', 'b.yaml']]);
  it.each([
    [undefined, { kind: 'local' }],
    ['self', { kind: 'local' }],
    ['gpu1', { kind: 'remote', host: 'gpu1' }],
    ['pull', { kind: 'elsewhere', host: 'pull' }],
    ['broken', { kind: 'isolated', file: 'b.yaml' }],
    ['nothing', { kind: 'elsewhere', host: 'nothing' }],
  ])('spec.host %j → %j', (h, expected) => {
    expect(placement(h, 'self', hosts, invalid)).toEqual(expected);
  });
});
