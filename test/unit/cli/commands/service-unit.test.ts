// Filling in the systemd unit template: absolute paths, escaping, settings replaced or added (pure).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envLine, execWord, renderUnit } from '../../../../src/cli/commands/service-unit.js';
import { ROOT } from '../../../helpers/cli.js';

const TEMPLATE = readFileSync(join(ROOT, 'deploy', 'systemd', 'agentctl.service'), 'utf8');

describe('execWord', () => {
  it.each([
    ['/usr/bin/node', '/usr/bin/node'],
    ['/home/a b/.nvm/node', '"/home/a b/.nvm/node"'],
    ['/opt/100%/node', '/opt/100%%/node'],
    ['/opt/$HOME/x', '/opt/$$HOME/x'],
    ['/say "hi"', '"/say \\"hi\\""'],
    ['C:\\x', '"C:\\\\x"'],
  ])('%s → %s', (word, out) => {
    expect(execWord(word)).toBe(out);
  });
});

describe('envLine', () => {
  it.each([
    ['PATH', '/a:/b', 'Environment="PATH=/a:/b"'],
    ['PATH', '/my bin:/b', 'Environment="PATH=/my bin:/b"'],
    ['X', '50%', 'Environment="X=50%%"'],
    ['X', 'say "x" \\', 'Environment="X=say \\"x\\" \\\\"'],
  ])('%s=%s → %s', (k, v, out) => {
    expect(envLine(k, v)).toBe(out);
  });
});

describe('renderUnit', () => {
  const unit = renderUnit(TEMPLATE, {
    node: '/home/u/.nvm/versions/node/v20.20.2/bin/node',
    cli: '/home/u/src/agentctl/dist/src/cli/main.js',
    path: '/home/u/.nvm/versions/node/v20.20.2/bin:/usr/bin:/bin',
    env: {
      AGENTCTL_SPECS: '/home/u/my specs',
      AGENTCTL_STATE: '/home/u/.local/state/agentctl',
      AGENTCTL_TMUX_SOCKET: 'agentctl',
      AGENTCTL_HOST: 'box1',
    },
    template: '/t/agentctl.service',
  });
  const lines = unit.split('\n');

  it('runs agentctl by absolute paths, never through PATH', () => {
    expect(lines.filter((l) => l.startsWith('ExecStart='))).toEqual([
      'ExecStart=/home/u/.nvm/versions/node/v20.20.2/bin/node --max-semi-space-size=2 /home/u/src/agentctl/dist/src/cli/main.js reconcile',
    ]);
    expect(unit).not.toMatch(/@[A-Z]+@/);
    expect(lines).toContain('Environment="PATH=/home/u/.nvm/versions/node/v20.20.2/bin:/usr/bin:/bin"');
  });

  it("replaces the template's settings and adds new ones before the override file", () => {
    expect(lines).toContain('Environment="AGENTCTL_SPECS=/home/u/my specs"');
    expect(lines.filter((l) => l.includes('AGENTCTL_SPECS='))).toHaveLength(1);
    expect(lines.indexOf('Environment="AGENTCTL_HOST=box1"')).toBe(
      lines.findIndex((l) => l.startsWith('EnvironmentFile=')) - 1,
    );
    expect(lines).toContain('Environment=AGENTCTL_HTTP_ADDR=127.0.0.1:9464');
  });

  it("says where it came from instead of the template's install notes", () => {
    expect(lines[0]).toBe('# Written by `agentctl install-service` from /t/agentctl.service.');
    expect(unit).not.toContain('sed -e');
  });
});

describe('the template', () => {
  const settings = TEMPLATE.split('\n').filter((l) => !l.startsWith('#'));
  it('keeps agents alive across controller restarts and carries nothing that leaks into them', () => {
    expect(settings).toContain('KillMode=process');
    expect(settings).toContain('WantedBy=default.target');
    for (const leak of [
      'NoNewPrivileges',
      'UMask',
      'PrivateTmp',
      'Protect',
      'Restrict',
      'LockPersonality',
      'SystemCall',
      'network-online',
      '/usr/bin/env',
    ]) {
      expect(settings.join('\n'), leak).not.toContain(leak);
    }
  });
});
