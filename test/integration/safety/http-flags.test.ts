// --http-addr/--http-token are usage errors (exit 2) judged before the lock: a weak token is refused.
import { describe, expect, it } from 'vitest';
import { useTmuxSandbox } from '../../helpers/fixture.js';
import { startController, type RunningController } from '../../helpers/controller.js';

let ctl: RunningController | undefined;
const fx = useTmuxSandbox(async () => {
  await ctl?.stop();
  ctl = undefined;
});

describe('reconcile flags are checked before the lock', () => {
  it('a non-loopback address without a token is a usage error even while another controller runs', async () => {
    ctl = await startController(fx.sb, ['--resync', '60s']);
    const r = await fx.sb.run(['reconcile', '--http-addr', '0.0.0.0:0'], {}, 20_000);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/refusing to serve on 0\.0\.0\.0:0 without a token/);
    expect(r.stderr).not.toMatch(/lock/);
    const bad = await fx.sb.run(['reconcile', '--http-addr', 'nine:four'], {}, 20_000);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--http-addr must be/);
  });

  it.each([
    [' ', /must not contain whitespace/],
    ['+', /at least 16 characters \(got 1\)/],
    ['short-token', /at least 16 characters/],
  ])('--http-token %j is refused with one line and exit 2', async (token, msg) => {
    const r = await fx.sb.run(['reconcile', '--http-addr', '0.0.0.0:0', '--http-token', token], {}, 20_000);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // The same through the environment (a unit file's AGENTCTL_HTTP_TOKEN).
    const env = await fx.sb.run(['reconcile', '--http-addr', '127.0.0.1:0'], { AGENTCTL_HTTP_TOKEN: token }, 20_000);
    expect(env.exitCode).toBe(2);
    expect(env.stderr).toMatch(msg);
  });
});
