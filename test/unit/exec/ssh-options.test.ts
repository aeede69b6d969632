// ssh command lines and config text for a Host: every option in its place, hostile values refused.
import { describe, expect, it } from 'vitest';
import {
  clientArgv,
  connectionKey,
  controlArgv,
  DEFAULT_TUNING,
  interactiveArgv,
  masterArgv,
  probeArgv,
  SshConfigError,
  sshConfigText,
  sshPaths,
} from '../../../src/exec/ssh-options.js';
import { SshTarget } from '../../../src/spec/schema.js';

const target = (t: Partial<SshTarget> & { host: string }): SshTarget => SshTarget.parse(t);
const paths = { configFile: '/s/ssh/c-1.conf', controlPath: '/s/ssh/c-1' };

describe('argv', () => {
  const CLIENT_TAIL = ['-o', 'ControlMaster=no', '-o', 'ProxyCommand=false', '-o', 'LogLevel=ERROR', '-T', '--'];
  it.each([
    {
      case: 'host only',
      t: target({ host: 'gpu1' }),
      head: ['-F', '/s/ssh/c-1.conf', '-S', '/s/ssh/c-1', '-p', '22'],
      jump: [],
    },
    {
      case: 'user, port, jump chain',
      t: target({ host: '127.0.0.2', port: 2222, user: 'agent', jump: ['login', 'u@hop:2200'] }),
      head: ['-F', '/s/ssh/c-1.conf', '-S', '/s/ssh/c-1', '-p', '2222', '-l', 'agent'],
      jump: ['-J', 'login,u@hop:2200'],
    },
  ])('$case', ({ t, head, jump }) => {
    // A client only ever talks to the master: no jump chain, and no connection of its own.
    expect(clientArgv(t, paths, 'CMD')).toEqual([...head, ...CLIENT_TAIL, t.host, 'CMD']);
    expect(interactiveArgv(t, paths, 'CMD')).toEqual([
      ...head,
      ...CLIENT_TAIL.map((a) => (a === '-T' ? '-t' : a)),
      t.host,
      'CMD',
    ]);
    expect(masterArgv(t, paths, DEFAULT_TUNING)).toEqual([
      ...head,
      ...jump,
      '-M',
      '-N',
      '-f',
      '-o',
      'ControlPersist=600',
      '--',
      t.host,
    ]);
    expect(controlArgv(t, paths, 'exit')).toEqual([...head, ...jump, '-O', 'exit', '--', t.host]);
    const probeHead = head.map((a) => (a === paths.controlPath ? 'none' : a));
    expect(probeArgv(t, paths)).toEqual([...probeHead, ...jump, '-T', '--', t.host, 'true']);
  });

  it('escapes % in the control path (ssh expands %-tokens there)', () => {
    expect(clientArgv(target({ host: 'h' }), { configFile: '/a%b/c.conf', controlPath: '/a%b/c' }, 'x')).toContain(
      '/a%%b/c',
    );
  });

  it.each([
    { host: '-oProxyCommand=touch x' },
    { host: 'a b' },
    { host: 'h', user: '-l' },
    { host: 'h', jump: ['a;touch x'] },
    { host: 'h', jump: ['$(id)@h'] },
    { host: 'h', jump: ['-oProxyCommand=x'] },
  ])('refuses %j even when built without the schema', (t) => {
    const unchecked = {
      port: 22,
      jump: [],
      connectTimeoutSeconds: 10,
      strictHostKeyChecking: 'yes',
      ...t,
    } as SshTarget;
    expect(() => clientArgv(unchecked, paths, 'x')).toThrow(SshConfigError);
  });

  it('the schema refuses the same values with the field named', () => {
    const r = SshTarget.safeParse({ host: 'h', jump: ['ok', 'x;y'] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['jump', 1]);
  });
});

describe('config text', () => {
  it('holds the options every hop needs, ours before the user config', () => {
    const t = target({
      host: 'h',
      identityFile: '~/.ssh/id x',
      knownHostsFile: '/k/known%hosts',
      strictHostKeyChecking: 'accept-new',
      connectTimeoutSeconds: 2.5,
    });
    expect(sshConfigText(t, DEFAULT_TUNING, '/home/me').split('\n')).toEqual([
      '# Written by agentctl; read with ssh -F. Edits are overwritten.',
      'Host *',
      '  BatchMode yes',
      '  StrictHostKeyChecking accept-new',
      '  ConnectTimeout 3',
      '  ServerAliveInterval 10',
      '  ServerAliveCountMax 3',
      '  LogLevel INFO',
      '  RequestTTY no',
      '  UserKnownHostsFile "/k/known%%hosts"',
      '  IdentityFile "/home/me/.ssh/id x"',
      '  IdentitiesOnly yes',
      'Include ~/.ssh/config',
      '',
    ]);
  });

  it('refuses a path ssh_config cannot quote', () => {
    expect(() => sshConfigText(target({ host: 'h', identityFile: '/a"b' }), DEFAULT_TUNING, '/h')).toThrow(
      /quotes or newlines/,
    );
  });
});

describe('paths', () => {
  it('keys the connection by its parameters', () => {
    expect(connectionKey(target({ host: 'h' }))).toBe(connectionKey(target({ host: 'h' })));
    expect(connectionKey(target({ host: 'h' }))).not.toBe(connectionKey(target({ host: 'h', port: 2222 })));
    expect(connectionKey(target({ host: 'h' }))).toMatch(/^c-[0-9a-f]{12}$/);
    expect(connectionKey(target({ host: 'h' }), { ...DEFAULT_TUNING, serverAliveIntervalSeconds: 1 })).not.toBe(
      connectionKey(target({ host: 'h' })),
    );
  });

  it('puts the socket and config in the given folder', () => {
    const p = sshPaths('/var/lib/agentctl/ssh', target({ host: 'h' }));
    expect(p.controlPath).toMatch(/^\/var\/lib\/agentctl\/ssh\/c-[0-9a-f]{12}$/);
    expect(p.configFile).toBe(`${p.controlPath}.conf`);
  });

  it('refuses a socket path too long for a unix socket', () => {
    expect(() => sshPaths(`/${'x'.repeat(80)}`, target({ host: 'h' }))).toThrow(/shorter --state/);
  });

  it('refuses a state folder a shell would split when a jump chain is used', () => {
    expect(() => sshPaths('/tmp/a b', target({ host: 'h', jump: ['j'] }))).toThrow(/plain characters/);
    expect(sshPaths('/tmp/a b', target({ host: 'h' })).controlPath).toMatch(/^\/tmp\/a b\//);
  });
});
