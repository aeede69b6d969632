// The bundled examples (specs/): two users of one machine converge them side by side.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, sandbox, waitFor, type Sandbox } from '../../helpers/cli.js';
import { testTmux, type TestTmux } from '../../helpers/tmux.js';

const users: { tmux: TestTmux; sb: Sandbox; home: string }[] = [];
afterEach(async () => {
  for (const u of users.splice(0)) {
    await u.tmux.kill();
    u.sb.cleanup();
  }
});

function user(): { tmux: TestTmux; sb: Sandbox; home: string } {
  const tmux = testTmux();
  const sb = sandbox(tmux.socket);
  const home = join(sb.dir, 'home');
  mkdirSync(home);
  const u = { tmux, sb, home };
  users.push(u);
  return u;
}

describe('bundled examples', () => {
  it('converge for two users at once: workdirs under each home, no port shared', async () => {
    const specs = join(ROOT, 'specs');
    const [alice, bob] = [user(), user()];
    for (const u of [alice, bob]) {
      const r = await u.sb.run(['reconcile', '--once', '--specs', specs, '--timeout', '30s'], { HOME: u.home });
      expect(r.stdout).toMatch(/^4\/4 agent\(s\) converged$/m);
      expect(r.exitCode).toBe(0);
      expect(existsSync(join(u.home, 'agentctl-examples', 'heartbeat', 'NOTES.md'))).toBe(true);
    }
    // Both web servers stay up: neither took a port the other needs.
    for (const u of [alice, bob]) {
      const web = await waitFor(async () => {
        const r = await u.sb.run(['logs', 'web', '--specs', specs], { HOME: u.home });
        return /Serving HTTP on 127\.0\.0\.1 port \d+/.test(r.stdout) ? r.stdout : undefined;
      }, 15_000);
      expect(web).not.toContain('Address already in use');
    }
    const again = await bob.sb.run(['reconcile', '--once', '--specs', specs, '--timeout', '30s'], { HOME: bob.home });
    expect(again.exitCode).toBe(0);
  });
});
