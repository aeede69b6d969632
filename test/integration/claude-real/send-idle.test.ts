// send with the real Claude Code run by a controller: delivery confirmed by UserPromptSubmit, refused while a permission waits, --when-idle waits through a busy turn.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../../helpers/cli.js';
import {
  atInputBox,
  claudeCodeBinary,
  prepareClaudeAgent,
  waitUntil,
  type ClaudeAgentDirs,
} from '../../helpers/claude-code.js';
import { startController, type RunningController } from '../../helpers/controller.js';
import { lastUserMessage, messageText, startMockAnthropic, type MockAnthropic } from '../../helpers/mock-anthropic.js';
import { testTmux, type TestTmux } from '../../helpers/tmux.js';

const STEP = 90_000;
let bin = '';
let tmux: TestTmux | undefined;
let mock: MockAnthropic | undefined;
let sb: Sandbox | undefined;
let ctl: RunningController | undefined;
const dirs: ClaudeAgentDirs[] = [];

beforeAll(async () => {
  bin = await claudeCodeBinary();
}, 360_000);

afterEach(async () => {
  await ctl?.stop();
  ctl = undefined;
  await tmux?.kill();
  tmux = undefined;
  await mock?.close();
  mock = undefined;
  for (const d of dirs.splice(0)) d.cleanup();
  sb?.cleanup();
  sb = undefined;
});

describe('send with the real Claude Code', () => {
  it('confirms delivery, refuses while a permission waits, and --when-idle types once the turn ends', async () => {
    tmux = testTmux();
    sb = sandbox(tmux.socket);
    mock = await startMockAnthropic();
    const agent = prepareClaudeAgent({ baseUrl: mock.url, preAccept: true });
    dirs.push(agent);
    sb.write(
      'snd.yaml',
      [
        'apiVersion: agentctl/v1',
        'kind: Agent',
        'metadata: {name: snd}',
        'spec:',
        `  workdir: ${agent.workdir}`,
        `  env: ${JSON.stringify(agent.env)}`,
        `  claude: {binary: ${bin}, flags: [--permission-mode, default]}`,
        '',
      ].join('\n'),
    );
    ctl = await startController(sb, ['--resync', '5s']);
    const screen = async (): Promise<string> => (await tmux!.run('capture-pane', '-p', '-t', 'snd')).stdout;
    await waitUntil(
      async () => (atInputBox(await screen()) ? true : undefined),
      STEP,
      () => 'the input box',
    );
    const activity = async (): Promise<string> => {
      const r = await sb!.run(['get', 'snd', '-o', 'json']);
      return String(
        (JSON.parse(r.stdout) as { items: { claude?: { activity?: string } }[] }).items[0]?.claude?.activity,
      );
    };
    await waitUntil(
      async () => ((await activity()) === 'Idle' ? true : undefined),
      STEP,
      () => 'Idle',
    );

    // Idle: typed and confirmed by the hook.
    mock.reply({ kind: 'text', text: 'Hello back.' });
    const first = await sb.run(['send', 'snd', 'Say hello']);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toBe('typed 9 character(s) and Enter into snd; Claude Code took the prompt');
    // The hook runs as Claude Code submits, before it asks the API.
    const t1 = await mock.waitFor((r) => r.role === 'turn', STEP);
    expect(messageText(lastUserMessage(t1.body))).toContain('Say hello');
    await waitUntil(
      async () => ((await activity()) === 'Idle' ? true : undefined),
      STEP,
      () => 'Idle after the first turn',
    );

    // A tool that needs permission, then runs for a few seconds: the agent waits, then works.
    mock.reply(
      {
        kind: 'tool_use',
        name: 'Bash',
        input: { command: 'touch waited.txt && sleep 4', description: 'Wait a little' },
      },
      { kind: 'text', text: 'Slept.' },
      { kind: 'text', text: 'Got the follow-up.' },
    );
    const second = await sb.run(['send', 'snd', 'Please wait a little']);
    expect(second.exitCode, second.stderr).toBe(0);
    await waitUntil(
      async () => ((await activity()) === 'WaitingForInput' ? true : undefined),
      STEP,
      () => 'WaitingForInput',
    );
    // A plain send refuses: its text would answer the permission dialog.
    const refused = await sb.run(['send', 'snd', 'typed into a dialog']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(
      /refusing to type into snd: it waits for permission.*approve or deny; nothing was typed/,
    );
    // --when-idle with a short timeout gives up, typing nothing.
    const short = await sb.run(['send', 'snd', '--when-idle', '--timeout', '2s', 'too early']);
    expect(short.exitCode).toBe(1);
    expect(short.stderr).toMatch(/snd: it waits for permission.* still; nothing was typed/);
    expect(await screen()).not.toMatch(/typed into a dialog|too early/);

    // --when-idle waits through the wait and the running tool, then types and confirms.
    const turnsBefore = mock.turns().length;
    const later = sb.run(['send', 'snd', '--when-idle', '--timeout', '2m', 'After the wait']);
    await new Promise((r) => setTimeout(r, 1000));
    const a = await sb.run(['approve', 'snd']);
    expect(a.exitCode, a.stderr).toBe(0);
    const done = await later;
    expect(done.exitCode, done.stderr).toBe(0);
    expect(done.stdout).toBe('typed 14 character(s) and Enter into snd; Claude Code took the prompt');
    // It was typed after the tool's turn ended: the turn after "Slept." carries it.
    await waitUntil(
      async () => (mock!.turns().length >= turnsBefore + 2 ? true : undefined),
      STEP,
      () => 'the turn with the follow-up',
    );
    const turns = mock.turns();
    expect(turns.length).toBe(turnsBefore + 2);
    expect(messageText(lastUserMessage(turns.at(-1)!.body))).toContain('After the wait');
    expect(messageText(lastUserMessage(turns.at(-2)!.body))).not.toContain('After the wait');

    // An agent without hooks cannot be waited for.
    sb.write(
      'plain.yaml',
      [
        'apiVersion: agentctl/v1',
        'kind: Agent',
        'metadata: {name: plain}',
        'spec:',
        '  command: [sleep, "600"]',
        '',
      ].join('\n'),
    );
    await waitUntil(
      async () =>
        (await sb!.run(['get', 'plain', '-o', 'json'])).stdout.includes('"phase": "Running"') ? true : undefined,
      STEP,
      () => 'plain Running',
    );
    const noHooks = await sb.run(['send', 'plain', '--when-idle', 'hi']);
    expect(noHooks.exitCode).toBe(1);
    expect(noHooks.stderr).toMatch(/plain: no activity from Claude Code hooks.*nothing was typed/);
  }, 600_000);
});
