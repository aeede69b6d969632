// loginShell: the argv wrapper's shape, and the hash of specs that do not set it stays what it was.
import { describe, expect, it } from 'vitest';
import { LOGIN_SCRIPT, loginShellArgv } from '../../../src/spec/login-shell.js';
import { AgentSpecBody } from '../../../src/spec/schema.js';
import { specHash } from '../../../src/spec/hash.js';

describe('loginShellArgv', () => {
  it('puts every argument after the script, none inside it', () => {
    const argv = ['node', '$(id)', "it's", ''];
    expect(loginShellArgv(argv)).toEqual(['/bin/sh', '-c', LOGIN_SCRIPT, 'agentctl-login', ...argv]);
    expect(LOGIN_SCRIPT).not.toContain('node');
  });

  it('changes the hash only when set', () => {
    const base = AgentSpecBody.parse({ command: ['x'] });
    const on = AgentSpecBody.parse({ command: ['x'], loginShell: true });
    const off = AgentSpecBody.parse({ command: ['x'], loginShell: false });
    expect(specHash(off)).toBe(specHash(base));
    expect(specHash(on)).not.toBe(specHash(base));
  });
});
