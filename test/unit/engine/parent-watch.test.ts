// The parent watch of a controller started through npm: who counts as npm, and when the parent is gone.
import { describe, expect, it } from 'vitest';
import { npmLauncher, watchParent } from '../../../src/engine/parent-watch.js';

describe('npmLauncher', () => {
  it.each([
    [{ npm_command: 'exec', npm_lifecycle_event: 'npx' }, 'exec'],
    [{ npm_command: 'run-script' }, 'run-script'],
    [{ npm_command: '' }, null],
    [{ PATH: '/usr/bin' }, null],
  ])('%j → %s', (env, want) => expect(npmLauncher(env)).toBe(want));
});

describe('watchParent', () => {
  it('calls onGone once, with the first parent, when the parent pid changes', async () => {
    let ppid = 4242;
    const gone: number[] = [];
    const stop = watchParent({ intervalMs: 5, ppid: () => ppid, onGone: (was) => gone.push(was) });
    await new Promise((r) => setTimeout(r, 30));
    expect(gone).toEqual([]);
    ppid = 1;
    await new Promise((r) => setTimeout(r, 30));
    ppid = 7;
    await new Promise((r) => setTimeout(r, 30));
    expect(gone).toEqual([4242]);
    stop();
  });

  it('stops watching when told to', async () => {
    let ppid = 10;
    const gone: number[] = [];
    watchParent({ intervalMs: 5, ppid: () => ppid, onGone: (was) => gone.push(was) })();
    ppid = 1;
    await new Promise((r) => setTimeout(r, 30));
    expect(gone).toEqual([]);
  });
});
