// baseEnv: exactly the base keys of the controller's environment, completed from its account.
import { describe, expect, it } from 'vitest';
import { baseEnv } from '../../../src/runtime/agent-env.js';

describe('baseEnv', () => {
  const cases: [string, NodeJS.ProcessEnv, Parameters<typeof baseEnv>[1], Record<string, string>][] = [
    [
      'keeps the base keys and LC_*, drops the rest',
      {
        HOME: '/h',
        USER: 'u',
        LOGNAME: 'u',
        SHELL: '/bin/zsh',
        PATH: '/p',
        LANG: 'C.UTF-8',
        LC_ALL: 'C',
        TZ: 'UTC',
        DISPLAY: ':0',
        TMUX: 'x',
        SECRET: 's',
      },
      {},
      { HOME: '/h', USER: 'u', LOGNAME: 'u', SHELL: '/bin/zsh', PATH: '/p', LANG: 'C.UTF-8', LC_ALL: 'C', TZ: 'UTC' },
    ],
    [
      'a CI runner without SHELL gets the account shell, not tmux default-shell',
      { HOME: '/root', PATH: '/p' },
      { user: 'root', home: '/root', shell: '/bin/bash' },
      { HOME: '/root', USER: 'root', LOGNAME: 'root', SHELL: '/bin/bash', PATH: '/p' },
    ],
    ['nothing at all: a default PATH and /bin/sh', {}, {}, { PATH: '/usr/local/bin:/usr/bin:/bin', SHELL: '/bin/sh' }],
    [
      'the environment wins over the account',
      { HOME: '/elsewhere', USER: 'alias', SHELL: '/bin/fish' },
      { user: 'real', home: '/home/real', shell: '/bin/bash' },
      { HOME: '/elsewhere', USER: 'alias', LOGNAME: 'real', SHELL: '/bin/fish', PATH: '/usr/local/bin:/usr/bin:/bin' },
    ],
    ['an empty account shell falls back to /bin/sh', { PATH: '/p' }, { shell: '' }, { PATH: '/p', SHELL: '/bin/sh' }],
    [
      'undefined values are absent, not "undefined"',
      { HOME: undefined, PATH: '/p' },
      {},
      { PATH: '/p', SHELL: '/bin/sh' },
    ],
  ];
  it.each(cases)('%s', (_name, env, account, want) => {
    expect(baseEnv(env, account)).toEqual(want);
  });
});
