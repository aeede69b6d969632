// Per-test fixture: a private tmux server and a CLI sandbox, created before and removed after each test.
import { afterEach, beforeEach } from 'vitest';
import { sandbox, type Sandbox } from './cli.js';
import { testTmux, type TestTmux } from './tmux.js';

export interface TmuxSandbox {
  tmux: TestTmux;
  sb: Sandbox;
}

/** Registers beforeEach/afterEach hooks; the returned object holds the current test's pair.
 * `teardown` runs first in afterEach (stop a controller before its tmux server goes). */
export function useTmuxSandbox(teardown?: () => Promise<void> | void): TmuxSandbox {
  const env = {} as TmuxSandbox;
  beforeEach(() => {
    env.tmux = testTmux();
    env.sb = sandbox(env.tmux.socket);
  });
  afterEach(async () => {
    await teardown?.();
    await env.tmux.kill();
    env.sb.cleanup();
  });
  return env;
}
