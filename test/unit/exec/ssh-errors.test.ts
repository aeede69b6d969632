// ssh's stderr read as a reason the host is unreachable, and the one-line fix for each.
import { describe, expect, it } from 'vitest';
import {
  classifySshStderr,
  neverReachedMaster,
  unreachable,
  unreachableFix,
  type Classified,
} from '../../../src/exec/ssh-errors.js';
import { SshTarget } from '../../../src/spec/schema.js';

describe('classifySshStderr', () => {
  it.each([
    ['ssh: connect to host 127.0.0.2 port 2222: Connection refused\r\n', 'refused', { host: '127.0.0.2', port: 2222 }],
    [
      'Connection timed out during banner exchange\r\nConnection to 127.0.0.2 port 2222 timed out\r\n',
      'timeout',
      undefined,
    ],
    ['ssh: connect to host 10.9.9.9 port 22: Connection timed out\r\n', 'timeout', { host: '10.9.9.9', port: 22 }],
    ['ssh: connect to host 10.0.0.1 port 22: No route to host\r\n', 'no-route', { host: '10.0.0.1', port: 22 }],
    ['ssh: Could not resolve hostname nowhere.invalid: Name or service not known\r\n', 'dns', undefined],
    [
      'No ED25519 host key is known for [127.0.0.3]:2223 and you have requested strict checking.\r\nHost key verification failed.\r\n',
      'host-key',
      { host: '127.0.0.3', port: 2223 },
    ],
    [
      'No ED25519 host key is known for gpu1.example.org and you have requested strict checking.\r\n',
      'host-key',
      { host: 'gpu1.example.org', port: 22 },
    ],
    ['agent@127.0.0.2: Permission denied (publickey).\r\n', 'auth', undefined],
    ['Timeout, server 127.0.0.2 not responding.\r\n', 'hang', undefined],
    ['channel 0: open failed: connect failed: Connection refused\r\nstdio forwarding failed\r\n', 'refused', undefined],
    ['Connection closed by 127.0.0.2 port 2222\r\n', 'lost', undefined],
    ['mux_client_request_session: read from master failed: Broken pipe\r\n', 'lost', undefined],
  ])('%j → %s', (stderr, reason, at) => {
    const c = classifySshStderr(stderr);
    expect(c?.reason).toBe(reason);
    expect(c?.at).toEqual(at);
  });

  it.each([[''], ['grep: no match\n'], ['Traceback (most recent call last):\n']])(
    '%j is not an ssh failure',
    (stderr) => {
      expect(classifySshStderr(stderr)).toBeNull();
    },
  );
});

describe('neverReachedMaster', () => {
  it.each([
    ['Control socket connect(/s/c-1): Connection refused\r\nConnection closed by UNKNOWN port 65535\r\n', true],
    [
      'kex_exchange_identification: Connection closed by remote host\r\nConnection closed by UNKNOWN port 65535\r\n',
      true,
    ],
    ['mux_client_hello_exchange: read from master failed: Broken pipe\r\n', true],
    [
      'mux_client_request_session: read from master failed: Broken pipe\r\nConnection closed by UNKNOWN port 65535\r\n',
      false,
    ],
    ['ssh: connect to host 127.0.0.2 port 2222: Connection refused\r\n', false],
    ['', false],
  ])('%j → %s', (stderr, never) => {
    expect(neverReachedMaster(stderr)).toBe(never);
  });
});

describe('unreachableFix', () => {
  const t = SshTarget.parse({ host: '127.0.0.2', port: 2222, user: 'agent', identityFile: '~/.ssh/id_ed25519' });
  const ctx = { name: 'gpu1', target: t };
  const fix = (c: Classified, target = t): string => unreachableFix(c, { ...ctx, target });
  it.each<[Classified, string]>([
    [
      { reason: 'host-key', changedKey: false },
      "add gpu1's key to known_hosts: ssh-keyscan -p 2222 127.0.0.2 >> ~/.ssh/known_hosts",
    ],
    [
      { reason: 'host-key', changedKey: true },
      "gpu1's host key changed: if that is expected, ssh-keygen -R '[127.0.0.2]:2222' -f ~/.ssh/known_hosts && ssh-keyscan -p 2222 127.0.0.2 >> ~/.ssh/known_hosts",
    ],
    [
      { reason: 'host-key', changedKey: false, at: { host: 'login', port: 22 } },
      "add jump host login's key to known_hosts: ssh-keyscan login >> ~/.ssh/known_hosts",
    ],
    [
      { reason: 'refused', changedKey: false },
      'start sshd on 127.0.0.2 port 2222, or correct spec.ssh.host/port of Host gpu1',
    ],
    [
      { reason: 'timeout', changedKey: false },
      '127.0.0.2 port 2222 did not answer within 10s: check that gpu1 is up and reachable from here',
    ],
    [
      { reason: 'auth', changedKey: false },
      'authorize ~/.ssh/id_ed25519.pub for agent on gpu1: add it to ~/.ssh/authorized_keys there',
    ],
    [{ reason: 'dns', changedKey: false }, 'cannot resolve 127.0.0.2: correct spec.ssh.host (or jump) of Host gpu1'],
  ])('%j', (c, line) => {
    expect(fix(c)).toBe(line);
  });

  it('names the known_hosts file the Host uses', () => {
    const own = SshTarget.parse({ host: 'h', knownHostsFile: '/etc/agentctl/known_hosts' });
    expect(fix({ reason: 'host-key', changedKey: false }, own)).toBe(
      "add gpu1's key to known_hosts: ssh-keyscan h >> /etc/agentctl/known_hosts",
    );
  });

  it('builds an error carrying host, reason, fix and stderr', () => {
    const e = unreachable(
      { reason: 'refused', changedKey: false },
      ctx,
      'ssh: connect to host 127.0.0.2 port 2222: Connection refused\n',
    );
    expect([e.host, e.reason, e.message]).toEqual([
      'gpu1',
      'refused',
      'host gpu1 unreachable (refused): ssh: connect to host 127.0.0.2 port 2222: Connection refused',
    ]);
    expect(e.fix).toMatch(/^start sshd/);
  });
});
