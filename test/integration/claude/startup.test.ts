// spec.startup and claude.autoAccept under `reconcile --once`, with the stand-in claude in a real tmux.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  eventReasons,
  fakeAgentYaml,
  fakeEvents,
  linesTyped,
  record,
  useClaudeSandbox,
} from '../../helpers/claude-agents.js';
import { waitFor } from '../../helpers/cli.js';

const fx = useClaudeSandbox();
const once = (timeout = '60s') => fx.sb.run(['reconcile', '--once', '--timeout', timeout], {}, 90_000);
const pane = async (name: string) => (await fx.tmux.run('capture-pane', '-p', '-t', name)).stdout;

describe('start-up of terminal agents under reconcile --once', () => {
  it('answers every Claude Code start-up prompt, and --once reports converged only once the input screen shows', async () => {
    fx.sb.write(
      'c.yaml',
      fakeAgentYaml(fx.sb, 'c', {
        claude: {
          model: 'opus',
          autoAccept: true,
          flags: ['--dangerously-skip-permissions'],
          channels: ['plugin:telegram@claude-plugins-official'],
        },
        env: { FAKE_CLAUDE_PROMPTS: 'trust,yn,thinking' },
      }),
    );
    const r = await once();
    expect(r.stdout).toContain('1/1 agent(s) converged');
    expect(r.exitCode).toBe(0);
    const answers = fakeEvents(fx.sb, 'c')
      .filter((e) => e.event === 'answer')
      .map((e) => `${String(e.name)}: ${String(e.choice)}`);
    expect(answers).toEqual([
      'trust: Yes, proceed',
      'yn: y',
      'bypass: Yes, I accept',
      'channels: I am using this for local development',
      'thinking: Medium (recommended)',
    ]);
    expect(fakeEvents(fx.sb, 'c').filter((e) => e.event === 'refused' || e.event === 'exit')).toEqual([]);
    const rec = record(fx.sb, 'c');
    expect(rec).toMatchObject({ phase: 'Running', ready: true, startup: { stage: 'done', outcome: 'Ready' } });
    expect(rec.events.filter((e) => e.reason === 'PromptAnswered').map((e) => e.message)).toEqual([
      "answered Claude Code's trust-folder prompt: 1. Yes",
      "answered Claude Code's skip-permissions-yn prompt: y",
      "answered Claude Code's bypass-permissions prompt: 2. Yes, I accept",
      "answered Claude Code's development-channels prompt: 1. I am using this for local development",
      "answered Claude Code's thinking-effort prompt: 1. Medium (recommended)",
    ]);
    expect(await pane('c')).toMatch(/^❯\s*$/m);
  });

  it('types startup commands only once the ready pattern shows, once per incarnation (a second --once types nothing)', async () => {
    // A plain terminal agent (no claude preset) whose screen takes 1.5 s to come up; keys typed
    // before that would be dropped (the stand-in records them as `dropped`).
    fx.sb.write(
      't.yaml',
      fakeAgentYaml(fx.sb, 't', {
        command: [],
        env: { FAKE_CLAUDE_STARTUP_MS: '1500' },
        startup: {
          readyPattern: 'Context left until auto-compact: \\d+%',
          commands: [{ text: 'first line' }, { text: '/fill 30', delaySeconds: 0.5 }],
        },
      }),
    );
    const r = await once();
    expect(r.exitCode).toBe(0);
    // --once returned after start-up finished: both commands were typed by then.
    expect(record(fx.sb, 't')).toMatchObject({
      ready: true,
      startup: { stage: 'done', commandsSent: 2, outcome: 'Ready' },
    });
    await waitFor(async () => linesTyped(fx.sb, 't').length === 2);
    const ev = fakeEvents(fx.sb, 't').map((e) => e.event);
    expect(ev.filter((e) => e === 'dropped')).toEqual([]);
    expect(ev.indexOf('ready')).toBeLessThan(ev.indexOf('line'));
    expect(eventReasons(fx.sb, 't').filter((x) => x === 'SessionReady' || x === 'CommandTyped')).toEqual([
      'SessionReady',
      'CommandTyped',
      'CommandTyped',
    ]);

    // A second run (a controller restart) finds the incarnation's start-up done: nothing typed.
    expect((await once()).exitCode).toBe(0);
    expect((await fx.sb.run(['send', 't', 'marker'])).exitCode).toBe(0);
    await waitFor(async () => linesTyped(fx.sb, 't').includes('marker'));
    expect(linesTyped(fx.sb, 't')).toEqual(['first line', '/fill 30', 'marker']);
  });

  it('onTimeout Fail: the pane goes into a Warning event and the agent restarts per its policy with backoff; Never leaves it Failed', async () => {
    // (3 s: long enough for the stand-in's screen to be up on a loaded machine, so the event shows it.)
    const startup = {
      readyPattern: 'NEVER-SHOWN',
      timeoutSeconds: 3,
      onTimeout: 'Fail',
      commands: [{ text: 'not typed' }],
    };
    // A 4 s backoff: --once ends when both have settled, and 'never' (same batch) may settle a
    // second after 'again' on a loaded machine; a 1 s backoff let 'again' restart in between.
    fx.sb.write(
      'again.yaml',
      fakeAgentYaml(fx.sb, 'again', { command: [], startup, spec: { backoff: { initialSeconds: 4, maxSeconds: 8 } } }),
    );
    fx.sb.write(
      'never.yaml',
      fakeAgentYaml(fx.sb, 'never', { command: [], startup, spec: { restartPolicy: 'Never' } }),
    );
    const r = await once();
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(
      /again: not converged: CrashLoopBackOff \(BackOff\): start-up timed out; restarting in 4s/,
    );
    expect(r.stdout).toMatch(/never: not converged: Failed \(Exited\): start-up timed out; restartPolicy Never/);
    for (const name of ['again', 'never']) {
      const timeout = record(fx.sb, name).events.find((e) => e.reason === 'StartupTimeout')!;
      expect(timeout.type).toBe('Warning');
      expect(timeout.message).toMatch(
        /^start-up did not finish within 3s \(waiting for \/NEVER-SHOWN\/ on the pane\): ending it \(onTimeout: Fail\); the pane showed:\n/,
      );
      expect(timeout.message).toContain('Context left until auto-compact: 100%');
      expect(linesTyped(fx.sb, name)).toEqual([]);
    }
    expect(record(fx.sb, 'again')).toMatchObject({ phase: 'CrashLoopBackOff', crashCount: 1, ready: false });
    expect(record(fx.sb, 'never')).toMatchObject({ phase: 'Failed', ready: false });
    expect((await fx.tmux.sessions()).size).toBe(0);

    // Run again past the backoff: started again, timed out again, and the delay doubled.
    await new Promise((res) => setTimeout(res, 4100));
    expect((await once()).exitCode).toBe(1);
    const again = record(fx.sb, 'again');
    expect(again).toMatchObject({ crashCount: 2, restarts: 1 });
    expect(again.nextStartAt! - again.lastExit!.at).toBe(8000);
    expect(again.events.filter((e) => e.reason === 'StartupTimeout')).toHaveLength(2);
    expect(record(fx.sb, 'never').restarts).toBe(0);
  });

  it('onTimeout Proceed: a Warning, then the commands and Ready', async () => {
    fx.sb.write(
      'p.yaml',
      fakeAgentYaml(fx.sb, 'p', {
        command: [],
        startup: {
          readyPattern: 'NEVER-SHOWN',
          timeoutSeconds: 3,
          onTimeout: 'Proceed',
          commands: [{ text: 'hello anyway' }],
        },
      }),
    );
    const r = await once();
    expect(r.exitCode).toBe(0);
    const rec = record(fx.sb, 'p');
    expect(rec).toMatchObject({ ready: true, startup: { outcome: 'Proceeded', commandsSent: 1 } });
    expect(rec.events.find((e) => e.reason === 'StartupTimeout')).toMatchObject({
      type: 'Warning',
      message: expect.stringMatching(/going on \(onTimeout: Proceed\)/),
    });
    await waitFor(async () => linesTyped(fx.sb, 'p').includes('hello anyway'));
  });

  it('a startup command holding a secret of the agent is never typed; the others are', async () => {
    const envFile = join(fx.sb.dir, 'agent.env');
    writeFileSync(envFile, 'API_TOKEN=tok-9f8e7d6c5b4a\n', { mode: 0o600 });
    fx.sb.write(
      's.yaml',
      fakeAgentYaml(fx.sb, 's', {
        command: [],
        env: { DB_PASSWORD: 'pw-0a1b2c3d4e' },
        startup: {
          readyPattern: 'Context left',
          commands: [{ text: 'login tok-9f8e7d6c5b4a' }, { text: 'connect pw-0a1b2c3d4e' }, { text: 'plain' }],
        },
        spec: { envFiles: [envFile] },
      }),
    );
    expect((await once()).exitCode).toBe(0);
    await waitFor(async () => linesTyped(fx.sb, 's').includes('plain'));
    expect(linesTyped(fx.sb, 's')).toEqual(['plain']);
    expect(
      record(fx.sb, 's')
        .events.filter((e) => e.reason === 'CommandRefused')
        .map((e) => e.message),
    ).toEqual([
      "startup command 1 holds a secret value of the agent's environment: not typed",
      "startup command 2 holds a secret value of the agent's environment: not typed",
    ]);
    // (The spec's own text stays in the 0600 registry as applied; what matters is the terminal and the events.)
    const everything = `${await pane('s')}${JSON.stringify(record(fx.sb, 's').events)}`;
    expect(everything).not.toContain('tok-9f8e7d6c5b4a');
    expect(everything).not.toContain('pw-0a1b2c3d4e');
  });
});
