// agentctl send: literal text and Enter into an agent's terminal, with or without a controller; what it refuses.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentYaml, waitFor } from '../../helpers/cli.js';
import { fakeAgentYaml, fakeEvents, linesTyped, useClaudeSandbox } from '../../helpers/claude-agents.js';
import { startController, type RunningController } from '../../helpers/controller.js';

let ctl: RunningController | undefined;
const fx = useClaudeSandbox(async () => {
  await ctl?.stop();
  ctl = undefined;
});
const pane = async (name: string) => (await fx.tmux.run('capture-pane', '-p', '-t', name)).stdout;

describe('agentctl send', () => {
  it('types the words literally (no key names, no shell), then Enter; the same with a controller running', async () => {
    fx.sb.write('a.yaml', fakeAgentYaml(fx.sb, 'a', { claude: {} }));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    await waitFor(async () => fakeEvents(fx.sb, 'a').some((e) => e.event === 'ready'));
    // (After `--`, words that look like options are text too.)
    const r = await fx.sb.run(['send', 'a', '--', 'Enter', 'C-c', '$(echo', 'no)', '-l', '"quoted"']);
    // The stand-in runs agentctl's hooks: its UserPromptSubmit confirms the delivery.
    expect(r).toMatchObject({
      exitCode: 0,
      stdout: 'typed 32 character(s) and Enter into a; Claude Code took the prompt',
    });
    await waitFor(async () => linesTyped(fx.sb, 'a').length === 1);
    expect(linesTyped(fx.sb, 'a')).toEqual(['Enter C-c $(echo no) -l "quoted"']);

    ctl = await startController(fx.sb);
    expect((await fx.sb.run(['send', 'a', 'while', 'the', 'controller', 'runs'])).exitCode).toBe(0);
    await waitFor(async () => linesTyped(fx.sb, 'a').length === 2);
    expect(linesTyped(fx.sb, 'a')[1]).toBe('while the controller runs');
  });

  it('refuses an unknown, a Stopped, a not-running and a Slurm batch agent, with a clear message', async () => {
    fx.sb.write('stopped.yaml', agentYaml('stopped', ['sleep', '600'], { state: 'Stopped' }));
    fx.sb.write('never.yaml', agentYaml('never', ['sleep', '600']));
    fx.sb.write('batch.yaml', agentYaml('batch', ['sleep', '600'], { runtime: 'slurm' }));
    const cases: [string, RegExp][] = [
      ['nobody', /unknown agent: nobody/],
      ['stopped', /stopped is Stopped: there is no terminal to type into/],
      ['never', /never is not running: there is no terminal to type into/],
      ['batch', /batch runs as a slurm batch job: it has no terminal to type into/],
    ];
    for (const [name, message] of cases) {
      const r = await fx.sb.run(['send', name, 'hello']);
      expect(r.exitCode, name).toBe(1);
      expect(r.stderr, name).toMatch(message);
    }
  });

  it('never types a secret of the agent into its terminal', async () => {
    const envFile = join(fx.sb.dir, 'agent.env');
    writeFileSync(envFile, 'ANTHROPIC_API_KEY=sk-ant-0123456789abcdef\n', { mode: 0o600 });
    fx.sb.write(
      's.yaml',
      fakeAgentYaml(fx.sb, 's', { claude: {}, env: { GH_TOKEN: 'ghp_secretvalue42' }, spec: { envFiles: [envFile] } }),
    );
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    for (const text of ['use sk-ant-0123456789abcdef please', 'token=ghp_secretvalue42']) {
      const r = await fx.sb.run(['send', 's', text]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/refusing to type into s: the text holds a secret value of its environment/);
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/sk-ant-0123456789abcdef|ghp_secretvalue42/);
    }
    expect((await fx.sb.run(['send', 's', 'harmless'])).exitCode).toBe(0);
    await waitFor(async () => linesTyped(fx.sb, 's').includes('harmless'));
    expect(linesTyped(fx.sb, 's')).toEqual(['harmless']);
    expect(await pane('s')).not.toMatch(/sk-ant-0123456789abcdef|ghp_secretvalue42/);
  });
});
