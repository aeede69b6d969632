// The unit's PATH: the shell's, without npm/npx's entries for one command (pure).
import { describe, expect, it } from 'vitest';
import { isCommandScopedEntry, servicePath } from '../../../../src/cli/commands/service-path.js';

describe('isCommandScopedEntry', () => {
  it.each([
    ['/home/u/.npm/_npx/6f2a1b/node_modules/.bin', true],
    ['/home/u/.npm/_npx/6f2a1b', true],
    ['/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin', true],
    ['/home/u/src/agentctl/node_modules/.bin', true],
    ['/home/u/src/node_modules/.bin/', true],
    ['/node_modules/.bin', true],
    ['/usr/local/bin', false],
    ['/home/u/.nvm/versions/node/v20.20.2/bin', false],
    ['/home/u/.npm-global/bin', false],
    ['/opt/node_modules_tools/bin', false],
    ['/home/u/my_npx/bin', false],
  ])('%s -> %s', (entry, scoped) => {
    expect(isCommandScopedEntry(entry)).toBe(scoped);
  });
});

describe('servicePath', () => {
  it("keeps the shell's entries in order and drops npx's, empty ones and repeats", () => {
    const npx = [
      '/home/u/.npm/_npx/6f2a1b/node_modules/.bin',
      '/home/u/src/agentctl/node_modules/.bin',
      '/home/u/src/node_modules/.bin',
      '/home/node_modules/.bin',
      '/node_modules/.bin',
      '/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin',
    ];
    const shell = ['/home/u/.local/bin', '/home/u/.nvm/versions/node/v20.20.2/bin', '/usr/bin', '', '/usr/bin', '/bin'];
    expect(servicePath([...npx, ...shell].join(':'))).toBe(
      '/home/u/.local/bin:/home/u/.nvm/versions/node/v20.20.2/bin:/usr/bin:/bin',
    );
  });
});
