// How the controller is started and ended: through real npx (`npx agentctl reconcile &; kill -TERM $!`), and with no specs folder.
import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, waitFor } from '../../helpers/cli.js';
import { startController, type RunningController } from '../../helpers/controller.js';
import { useTmuxSandbox } from '../../helpers/fixture.js';

let ctl: RunningController | undefined;
const fx = useTmuxSandbox(async () => {
  await ctl?.stop();
  ctl = undefined;
});

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('started through npx', () => {
  const pids: number[] = [];
  afterEach(() => {
    for (const pid of pids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });

  it('kill -TERM of npx ends the controller too, which releases the lock', async () => {
    // A project whose node_modules/.bin holds agentctl, as after `npm install agentctl`: npx
    // runs it through `npm exec` → `sh -c` → node, as it does in a checkout.
    const project = join(fx.sb.dir, 'project');
    mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(join(project, 'package.json'), '{"name":"uses-agentctl","version":"1.0.0","private":true}\n');
    symlinkSync(CLI, join(project, 'node_modules', '.bin', 'agentctl'));
    const npx = execa('npx', ['agentctl', 'reconcile'], {
      cwd: project,
      env: { ...fx.sb.env, npm_config_update_notifier: 'false', npm_config_offline: 'true' },
      reject: false,
      buffer: false,
      stdio: 'ignore',
    });
    pids.push(npx.pid!);
    const lockFile = join(fx.sb.state, 'lock');
    const holder = await waitFor(async () => {
      const pid = existsSync(lockFile) ? (JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number }).pid : 0;
      return pid > 0 && pid !== npx.pid ? pid : undefined;
    }, 30_000);
    pids.push(holder);
    npx.kill('SIGTERM');
    await npx;
    await waitFor(async () => !alive(holder), 10_000);
    expect(existsSync(lockFile)).toBe(false);
  });
});

describe('without a specs folder', () => {
  it('warns once that it does not exist, and says when it appears', async () => {
    const missing = join(fx.sb.dir, 'no-specs-here');
    ctl = await startController(fx.sb, ['--resync', '200ms'], { AGENTCTL_SPECS: missing });
    const warned = (): Record<string, unknown>[] => ctl!.lines.filter((l) => String(l.msg).includes('does not exist'));
    await waitFor(async () => warned().length > 0);
    const appeared = (): number => ctl!.lines.filter((l) => l.msg === 'specs folder appeared').length;
    // Five resyncs later, still said once.
    await new Promise((r) => setTimeout(r, 1000));
    expect(warned()).toHaveLength(1);
    expect(warned()[0]).toMatchObject({ level: 40, specs: missing });
    expect(String(warned()[0]!.msg)).toBe(
      `specs folder ${missing} does not exist: no agents are declared (create it, or point --specs / AGENTCTL_SPECS at your specs)`,
    );
    mkdirSync(missing);
    await waitFor(async () => appeared() === 1, 10_000);
  });
});
