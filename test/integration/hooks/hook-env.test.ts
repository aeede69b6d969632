// Hooks and health checks get the agent's environment (base, AGENTCTL_*, envFiles, env), never the controller's.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTmuxSandbox } from '../../helpers/fixture.js';
import { agentYaml, waitFor } from '../../helpers/cli.js';
import { startController, type RunningController } from '../../helpers/controller.js';

let ctl: RunningController | undefined;
const fx = useTmuxSandbox(async () => {
  await ctl?.stop();
  ctl = undefined;
});

const CONTROLLER_TOKEN = 'controller-token-0123456789';

function envOf(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\0').filter(Boolean)) {
    const i = line.indexOf('=');
    out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

describe('the environment of hooks and health checks', () => {
  it('is the agent base, AGENTCTL_*, envFiles and env, with nothing of the controller', async () => {
    const dir = fx.sb.dir;
    writeFileSync(join(dir, 'agent.env'), 'FROM_FILE=f1\nSHARED=from-file\n');
    const hookOut = join(dir, 'hook.env');
    const checkOut = join(dir, 'check.env');
    fx.sb.write(
      'a.yaml',
      agentYaml('a', ['sleep', '600'], {
        workdir: dir,
        envFiles: [join(dir, 'agent.env')],
        env: { OWN: '1', SHARED: 'from-env' },
        hooks: { postStart: [`env -0 > ${hookOut}`] },
        healthCheck: { exec: ['sh', '-c', `env -0 > ${checkOut}`], periodSeconds: 1, initialDelaySeconds: 0 },
      }),
    );
    ctl = await startController(fx.sb, ['--resync', '60s'], {
      AGENTCTL_HTTP_TOKEN: CONTROLLER_TOKEN,
      CONTROLLER_ONLY: 'leak',
    });
    await waitFor(async () => Promise.resolve(existsSync(hookOut) && existsSync(checkOut)), 20_000);
    await new Promise((r) => setTimeout(r, 300)); // both written in full
    for (const [what, file] of [
      ['hook', hookOut],
      ['check', checkOut],
    ] as const) {
      const env = envOf(file);
      expect(env.get('AGENTCTL_HTTP_TOKEN'), what).toBeUndefined();
      expect(env.get('CONTROLLER_ONLY'), what).toBeUndefined();
      expect(env.get('AGENTCTL_TMUX_SOCKET'), what).toBeUndefined();
      expect(env.get('AGENTCTL_STATE'), what).toBeUndefined();
      expect(env.get('FROM_FILE'), what).toBe('f1');
      expect(env.get('SHARED'), what).toBe('from-env');
      expect(env.get('OWN'), what).toBe('1');
      expect(env.get('AGENTCTL_AGENT'), what).toBe('a');
      expect(env.get('AGENTCTL_WORKDIR'), what).toBe(dir);
      expect(env.get('PATH'), what).toBeTruthy();
      expect(env.get('HOME'), what).toBeTruthy();
    }
    expect(envOf(hookOut).get('AGENTCTL_HOOK')).toBe('postStart');
  });
});
