// The real Claude Code (pinned 2.1.328) in a real tmux pane against the local Messages-API mock: dialogs, turns, hooks.
import { existsSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  atInputBox,
  claudeCodeBinary,
  inputLine,
  prepareClaudeAgent,
  recordTiming,
  saveScreen,
  startClaudePane,
  waitUntil,
  writeHookSettings,
  type ClaudeAgentDirs,
  type ClaudeHookEvent,
  type ClaudePane,
  type HookSettings,
} from '../../helpers/claude-code.js';
import {
  lastUserMessage,
  messageText,
  startMockAnthropic,
  toolResults,
  type MockAnthropic,
} from '../../helpers/mock-anthropic.js';
import { testTmux, type TestTmux } from '../../helpers/tmux.js';

// Generous: a loaded 2-core machine runs several of these files at once.
const STEP = 60_000;
const TEST = 240_000;

const TRUST = 'Quick safety check: Is this a project you created or one you trust?';
const API_KEY = 'Detected a custom API key in your environment';
const BYPASS = 'WARNING: Claude Code running in Bypass Permissions mode';
const FOOTER = 'Enter to confirm · Esc to cancel';
const PROCEED = 'Do you want to proceed?';

/** A start-up dialog is active when its footer ends the pane's content. */
const dialogActive = (screen: string, text: string): boolean =>
  screen.includes(text) && screen.trimEnd().endsWith(FOOTER);

let bin = '';
let tmux: TestTmux | undefined;
let mock: MockAnthropic | undefined;
const panes: ClaudePane[] = [];
const dirs: ClaudeAgentDirs[] = [];

beforeAll(async () => {
  // Installs on first use (shared cache, flock); fails, never skips, when it cannot.
  bin = await claudeCodeBinary();
}, 360_000);

afterEach(async () => {
  for (const p of panes.splice(0)) await p.stop();
  await tmux?.kill();
  tmux = undefined;
  await mock?.close();
  mock = undefined;
  for (const d of dirs.splice(0)) d.cleanup();
});

async function setup(
  opts: { preAccept?: boolean } = {},
): Promise<{ agent: ClaudeAgentDirs; hooks: HookSettings; mock: MockAnthropic; tmux: TestTmux }> {
  tmux = testTmux();
  mock = await startMockAnthropic();
  const agent = prepareClaudeAgent({ baseUrl: mock.url, ...opts });
  dirs.push(agent);
  const hooks = writeHookSettings(`${agent.base}/run`);
  return { agent, hooks, mock, tmux };
}

async function start(name: string, args: string[], agent: ClaudeAgentDirs): Promise<ClaudePane> {
  const pane = await startClaudePane(tmux!, name, bin, args, agent);
  panes.push(pane);
  return pane;
}

async function timed<T>(step: string, f: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const v = await f();
  recordTiming(step, Date.now() - t0);
  return v;
}

function waitForEvent(
  hooks: HookSettings,
  pred: (e: ClaudeHookEvent) => boolean,
  what: string,
  timeoutMs = STEP,
): Promise<ClaudeHookEvent> {
  return waitUntil(
    () => hooks.events().find(pred),
    timeoutMs,
    () =>
      `hook event ${what}; events so far: ${hooks
        .events()
        .map((e) => e.hook_event_name)
        .join(', ')}`,
  );
}

describe('the real Claude Code against the mock Messages API', () => {
  it(
    'first start: trust and API-key dialogs, a turn, every hook and the status line, /clear, /exit',
    async () => {
      const { agent, hooks, mock } = await setup();
      const pane = await start('first', ['--settings', hooks.file], agent);

      const trust = await timed('start → trust dialog', () =>
        pane.waitForScreen((s) => dialogActive(s, TRUST), STEP, 'the trust dialog'),
      );
      saveScreen('trust-folder', trust);
      expect(trust).toContain('❯ No, exit');
      expect(trust).toContain('Yes, I trust this folder');
      expect(trust).toContain(agent.workdir);
      expect(mock.requests[0]).toMatchObject({ method: 'HEAD', url: '/api/hello' });
      await pane.choose('Yes, I trust this folder', 'Down');

      const key = await timed('trust answered → API-key dialog', () =>
        pane.waitForScreen((s) => dialogActive(s, API_KEY), STEP, 'the API-key dialog'),
      );
      saveScreen('custom-api-key', key);
      expect(key).toContain('Do you want to use this API key?');
      expect(key).toContain('❯ No (recommended)');
      await pane.choose('Yes', 'Up');

      await timed('API key answered → input box', () => pane.waitForScreen(atInputBox, STEP, 'the input box'));
      const started = await waitForEvent(hooks, (e) => e.hook_event_name === 'SessionStart', 'SessionStart');
      expect(started).toMatchObject({ source: 'startup', cwd: agent.workdir });
      expect(started.transcript_path).toBe(
        `${agent.home}/.claude/projects/${agent.workdir.replace(/\//g, '-')}/${started.session_id}.jsonl`,
      );
      // Wait until the status line has drawn, so the saved screen is the settled one.
      const settled = await pane.waitForScreen(
        (s) => atInputBox(s) && s.includes('agentctl-status'),
        STEP,
        'the status line',
      );
      saveScreen('idle-input-box', settled);

      mock.reply({
        kind: 'text',
        text: 'Hello from the agentctl mock.',
        usage: { input_tokens: 1000, output_tokens: 12 },
      });
      await pane.submit('Say hello');
      const answered = await timed('prompt → answer on screen', () =>
        pane.waitForScreen((s) => s.includes('Hello from the agentctl mock.') && atInputBox(s), STEP, 'the answer'),
      );
      saveScreen('conversation-input-box', answered);
      const turn = mock.turns()[0]!;
      expect(turn.url).toBe('/v1/messages?beta=true');
      expect(turn.body?.stream).toBe(true);
      expect(messageText(lastUserMessage(turn.body))).toContain('Say hello');

      const stop = await waitForEvent(hooks, (e) => e.hook_event_name === 'Stop', 'Stop');
      expect(stop).toMatchObject({
        session_id: started.session_id,
        last_assistant_message: 'Hello from the agentctl mock.',
      });
      const submit = hooks.events().find((e) => e.hook_event_name === 'UserPromptSubmit')!;
      // Without --permission-mode, 2.1.328's mode is auto.
      expect(submit).toMatchObject({ session_id: started.session_id, prompt: 'Say hello', permission_mode: 'auto' });
      expect(typeof submit.prompt_id).toBe('string');
      expect(hooks.events().map((e) => e.hook_event_name)).toEqual(['SessionStart', 'UserPromptSubmit', 'Stop']);

      const status = await waitUntil(
        () => hooks.statusLines().find((s) => (s.cost as { total_cost_usd: number }).total_cost_usd > 0),
        STEP,
        () => `a status line with a cost; got ${hooks.statusLines().length} lines`,
      );
      expect(status).toMatchObject({
        session_id: started.session_id,
        version: '2.1.328',
        model: { id: expect.any(String), display_name: expect.any(String) },
      });
      expect(status.context_window).toMatchObject({
        total_input_tokens: expect.any(Number),
        context_window_size: expect.any(Number),
      });

      // /clear: the session ends (reason clear) and a new one starts with a new id.
      await pane.submit('/clear');
      const cleared = await waitForEvent(
        hooks,
        (e) => e.hook_event_name === 'SessionStart' && e.source === 'clear',
        'SessionStart clear',
      );
      expect(cleared.session_id).not.toBe(started.session_id);
      expect(hooks.events().find((e) => e.hook_event_name === 'SessionEnd')).toMatchObject({
        session_id: started.session_id,
        reason: 'clear',
      });

      await pane.submit('/exit');
      const end = await waitForEvent(
        hooks,
        (e) => e.hook_event_name === 'SessionEnd' && e.reason !== 'clear',
        'SessionEnd at exit',
      );
      expect(end).toMatchObject({ session_id: cleared.session_id, reason: 'prompt_input_exit' });
    },
    TEST,
  );

  it(
    'permission mode default: a Bash tool_use asks, notifies, runs the PermissionRequest hook; keys and hook answers',
    async () => {
      const { agent, hooks, mock } = await setup({ preAccept: true });
      const pane = await start('perm', ['--settings', hooks.file, '--permission-mode', 'default'], agent);
      // Pre-accepted in .claude.json: no dialog, straight to the input box.
      await pane.waitForScreen((s) => atInputBox(s), STEP, 'the input box without dialogs');
      expect(await pane.screen()).not.toContain(TRUST);

      // 1. Answered by keys: Enter on "❯ 1. Yes".
      mock.reply(
        { kind: 'tool_use', name: 'Bash', input: { command: 'touch made-by-mock.txt', description: 'Create a file' } },
        { kind: 'text', text: 'File made.' },
      );
      await pane.submit('Make a file');
      const dialog = await timed('tool_use → permission dialog', () =>
        pane.waitForScreen((s) => s.includes(PROCEED), STEP, 'the permission dialog'),
      );
      saveScreen('permission-proceed', dialog);
      expect(dialog).toContain('❯ 1. Yes');
      expect(dialog).toContain('4. No');
      expect(dialog).toContain('Esc to cancel · Tab to amend');
      expect(dialog).toContain('touch made-by-mock.txt');
      const request = await waitForEvent(hooks, (e) => e.hook_event_name === 'PermissionRequest', 'PermissionRequest');
      expect(request).toMatchObject({
        tool_name: 'Bash',
        tool_input: { command: 'touch made-by-mock.txt' },
        permission_mode: 'default',
      });
      const note = await timed('permission dialog → Notification', () =>
        waitForEvent(hooks, (e) => e.hook_event_name === 'Notification', 'Notification permission_prompt'),
      );
      expect(note).toMatchObject({ notification_type: 'permission_prompt', message: 'Claude needs your permission' });
      await pane.keys('Enter');
      await pane.waitForScreen((s) => s.includes('File made.') && atInputBox(s), STEP, 'the answer after the grant');
      const granted = toolResults(mock.turns()[1]!.body);
      expect(granted).toHaveLength(1);
      expect(granted[0]).toMatchObject({ type: 'tool_result', is_error: false });

      // 2. Answered by the hook: allow.
      hooks.setPermissionDecision({
        hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } },
      });
      mock.reply(
        {
          kind: 'tool_use',
          name: 'Bash',
          input: { command: 'touch allowed-by-hook.txt', description: 'Create a file' },
        },
        { kind: 'text', text: 'Allowed.' },
      );
      await pane.submit('Make another file');
      const allowed = await pane.waitForScreen(
        (s) => s.includes('Allowed.') && atInputBox(s),
        STEP,
        'the turn the hook allowed',
      );
      expect(allowed).toContain('Allowed by PermissionRequest hook');
      expect(toolResults(mock.turns()[3]!.body)[0]).toMatchObject({ is_error: false });

      // 3. Answered by the hook: deny, with a message that becomes the tool_result.
      hooks.setPermissionDecision({
        hookSpecificOutput: {
          hookEventName: 'PermissionRequest',
          decision: { behavior: 'deny', message: 'Denied by agentctl test' },
        },
      });
      mock.reply(
        {
          kind: 'tool_use',
          name: 'Bash',
          input: { command: 'touch denied-by-hook.txt', description: 'Create a file' },
        },
        { kind: 'text', text: 'Denied.' },
      );
      await pane.submit('Make a third file');
      const denied = await pane.waitForScreen(
        (s) => s.includes('Denied.') && atInputBox(s),
        STEP,
        'the turn the hook denied',
      );
      expect(denied).toContain('Denied by PermissionRequest hook');
      expect(toolResults(mock.turns()[5]!.body)[0]).toMatchObject({
        is_error: true,
        content: 'Denied by agentctl test',
      });

      expect(existsSync(`${agent.workdir}/made-by-mock.txt`)).toBe(true);
      expect(existsSync(`${agent.workdir}/allowed-by-hook.txt`)).toBe(true);
      expect(existsSync(`${agent.workdir}/denied-by-hook.txt`)).toBe(false);
      // The hook ran for all three requests; it answered the last two before any prompt waited.
      expect(hooks.events().filter((e) => e.hook_event_name === 'PermissionRequest')).toHaveLength(3);
    },
    TEST,
  );

  it(
    '/compact: PreCompact then SessionStart compact; --resume: SessionStart resume and the earlier turns sent',
    async () => {
      const { agent, hooks, mock } = await setup({ preAccept: true });
      const pane = await start('compact', ['--settings', hooks.file], agent);
      await pane.waitForScreen(atInputBox, STEP, 'the input box');
      mock.reply({ kind: 'text', text: 'First answer.' });
      await pane.submit('First question');
      await pane.waitForScreen((s) => s.includes('First answer.') && atInputBox(s), STEP, 'the first answer');
      const start0 = hooks.events().find((e) => e.hook_event_name === 'SessionStart')!;

      await pane.submit('/compact');
      const compacted = await timed('/compact → SessionStart compact', () =>
        waitForEvent(
          hooks,
          (e) => e.hook_event_name === 'SessionStart' && e.source === 'compact',
          'SessionStart compact',
        ),
      );
      expect(compacted.session_id).toBe(start0.session_id);
      expect(hooks.events().find((e) => e.hook_event_name === 'PreCompact')).toMatchObject({
        trigger: 'manual',
        custom_instructions: null,
        session_id: start0.session_id,
      });
      const summary = mock.requests.find((r) => r.role === 'compact');
      expect(summary?.body?.tools?.length).toBeGreaterThan(0);
      expect(messageText(lastUserMessage(summary!.body))).toContain('<summary>');
      await pane.waitForScreen((s) => s.includes('Compacted') && atInputBox(s), STEP, 'Compacted on screen');

      await pane.submit('/exit');
      await waitForEvent(hooks, (e) => e.hook_event_name === 'SessionEnd', 'SessionEnd');
      const before = mock.turns().length;

      const resumed = await start('resumed', ['--settings', hooks.file, '--resume', start0.session_id], agent);
      await resumed.waitForScreen((s) => atInputBox(s) && s.includes('Compacted'), STEP, 'the resumed conversation');
      const again = await waitForEvent(
        hooks,
        (e) => e.hook_event_name === 'SessionStart' && e.source === 'resume',
        'SessionStart resume',
      );
      expect(again.session_id).toBe(start0.session_id);
      mock.reply({ kind: 'text', text: 'Resumed answer.' });
      await resumed.submit('After resume');
      await resumed.waitForScreen((s) => s.includes('Resumed answer.'), STEP, 'the answer after resume');
      const next = mock.turns()[before]!;
      expect(messageText(lastUserMessage(next.body))).toContain('After resume');
      // The compacted summary travels with the resumed session.
      expect(JSON.stringify(next.body?.messages)).toContain('mock conversation summary');
    },
    TEST,
  );

  it(
    'a 401 from the API: the screen says the key is invalid, no Stop hook',
    async () => {
      const { agent, hooks, mock } = await setup({ preAccept: true });
      const pane = await start('e401', ['--settings', hooks.file], agent);
      await pane.waitForScreen(atInputBox, STEP, 'the input box');
      mock.reply({ kind: 'error', status: 401 });
      await pane.submit('Hi');
      const screen = await pane.waitForScreen((s) => s.includes('Invalid API key'), STEP, 'the 401 message');
      saveScreen('error-401', screen);
      expect(screen).toContain('Invalid API key · Fix external API key');
      expect(inputLine(screen)).toBe('Once fixed, resend your message');
      await waitForEvent(hooks, (e) => e.hook_event_name === 'UserPromptSubmit', 'UserPromptSubmit');
      expect(hooks.events().some((e) => e.hook_event_name === 'Stop')).toBe(false);
    },
    TEST,
  );

  it(
    '--dangerously-skip-permissions as root with IS_SANDBOX=1: the bypass dialog, answered by Down, then Enter',
    async () => {
      const { agent, hooks } = await setup({ preAccept: true });
      const pane = await start('bypass', ['--settings', hooks.file, '--dangerously-skip-permissions'], agent);
      const dialog = await pane.waitForScreen((s) => dialogActive(s, BYPASS), STEP, 'the bypass dialog');
      saveScreen('bypass-permissions', dialog);
      expect(dialog).toContain('❯ No, exit');
      expect(dialog).toContain('Yes, I accept');
      expect(hooks.events()).toEqual([]);
      await pane.choose('Yes, I accept', 'Down');
      const ready = await pane.waitForScreen(atInputBox, STEP, 'the input box in bypass mode');
      saveScreen('idle-input-box-bypass', ready);
      await waitForEvent(hooks, (e) => e.hook_event_name === 'SessionStart', 'SessionStart');
    },
    TEST,
  );

  it(
    'a stalled stream: the turn stays busy until Escape interrupts it and puts the prompt back',
    async () => {
      const { agent, hooks, mock } = await setup({ preAccept: true });
      const pane = await start('stall', ['--settings', hooks.file], agent);
      await pane.waitForScreen(atInputBox, STEP, 'the input box');
      mock.reply({ kind: 'stall' });
      await pane.submit('Never answered');
      await mock.waitFor((r) => r.role === 'turn', STEP);
      const busy = await pane.waitForScreen((s) => /esc to interrupt/i.test(s), STEP, 'the busy indicator');
      saveScreen('busy-stalled', busy);
      await pane.keys('Escape');
      // With nothing streamed yet, Escape cancels the turn and puts the prompt back into the input box.
      const after = await pane.waitForScreen(
        (s) => !/esc to interrupt/i.test(s) && inputLine(s) === 'Never answered',
        STEP,
        'the interrupted turn',
      );
      saveScreen('interrupted-prompt-back', after);
      expect(hooks.events().some((e) => e.hook_event_name === 'Stop')).toBe(false);
    },
    TEST,
  );
});
