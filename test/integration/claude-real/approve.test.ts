// approve / deny against the real Claude Code and the mock API: through agentctl's PermissionRequest hook, and by keys on the dialog.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pendingRequests } from '../../../src/claude/permission/pending.js';
import {
  PERMISSION_SCRIPT,
  permissionDir,
  permissionHookEntry,
} from '../../../src/claude/permission/permission-script.js';
import { agentYaml, sandbox, type Sandbox } from '../../helpers/cli.js';
import {
  atInputBox,
  claudeCodeBinary,
  prepareClaudeAgent,
  waitUntil,
  type ClaudeAgentDirs,
} from '../../helpers/claude-code.js';
import { startMockAnthropic, toolResults, type MockAnthropic } from '../../helpers/mock-anthropic.js';
import { testTmux, type TestTmux } from '../../helpers/tmux.js';

const STEP = 60_000;
const TEST = 300_000;
const PROCEED = 'Do you want to proceed?';

let bin = '';
let tmux: TestTmux | undefined;
let mock: MockAnthropic | undefined;
let sb: Sandbox | undefined;
const dirs: ClaudeAgentDirs[] = [];

beforeAll(async () => {
  bin = await claudeCodeBinary();
}, 360_000);

afterEach(async () => {
  await tmux?.kill();
  tmux = undefined;
  await mock?.close();
  mock = undefined;
  for (const d of dirs.splice(0)) d.cleanup();
  sb?.cleanup();
  sb = undefined;
});

/** A Claude Code agent run by agentctl whose settings hold agentctl's PermissionRequest hook, with
 * the hook's wait (seconds); the incarnation is named `t1`. */
function claudeAgent(name: string, waitSeconds: number): ClaudeAgentDirs {
  const agent = prepareClaudeAgent({ baseUrl: mock!.url, preAccept: true });
  dirs.push(agent);
  const run = join(sb!.state, 'run', 'claude');
  mkdirSync(run, { recursive: true });
  const script = join(run, 'agentctl-permission.sh');
  writeFileSync(script, PERMISSION_SCRIPT);
  chmodSync(script, 0o644);
  const settings = join(agent.base, 'settings.json');
  const entry = permissionHookEntry(
    script,
    join(run, `${name}.t1.events`),
    't1',
    permissionDir(run, name, 't1'),
    waitSeconds,
  );
  writeFileSync(settings, JSON.stringify({ hooks: { PermissionRequest: [entry] } }));
  sb!.write(
    `${name}.yaml`,
    agentYaml(name, [bin, '--settings', settings, '--permission-mode', 'default'], {
      workdir: agent.workdir,
      env: agent.env,
    }),
  );
  return agent;
}

const screen = async (name: string): Promise<string> =>
  (await tmux!.run('capture-pane', '-p', '-t', name)).stdout.replace(/\s+$/, '');
const waitScreen = (name: string, pred: (s: string) => boolean, what: string): Promise<string> => {
  let last = '';
  return waitUntil(
    async () => {
      last = await screen(name);
      return pred(last) ? last : undefined;
    },
    STEP,
    () => `${what}; last screen:\n${last}`,
  );
};

async function prompt(name: string, text: string): Promise<void> {
  const r = await sb!.run(['send', name, text]);
  expect(r.exitCode, r.stderr).toBe(0);
}

describe('approve / deny with the real Claude Code', () => {
  it(
    'through the hook: approve runs the tool (the mock gets its result), deny sends the message as an error result',
    async () => {
      tmux = testTmux();
      sb = sandbox(tmux.socket);
      mock = await startMockAnthropic();
      const agent = claudeAgent('perm', 120);
      expect((await sb.run(['reconcile', '--once'])).exitCode).toBe(0);
      await waitScreen('perm', atInputBox, 'the input box');

      // Nothing pending yet.
      const none = await sb.run(['approve', 'perm']);
      expect(none.exitCode).toBe(1);
      expect(none.stderr).toMatch(/perm has no pending permission request/);

      mock.reply(
        { kind: 'tool_use', name: 'Bash', input: { command: 'touch approved.txt', description: 'Create a file' } },
        { kind: 'text', text: 'Approved and done.' },
      );
      await prompt('perm', 'Make a file');
      // The hook waits (the dialog shows meanwhile): approve finds the request and answers it.
      const approved = await waitUntil(
        async () => {
          const r = await sb!.run(['approve', 'perm']);
          return r.exitCode === 0 ? r : undefined;
        },
        STEP,
        () => 'a pending request to approve',
      );
      expect(approved.stdout).toBe('approved Bash(touch approved.txt) for perm');
      await waitScreen('perm', (s) => s.includes('Approved and done.') && atInputBox(s), 'the turn after approve');
      expect(toolResults(mock.turns()[1]!.body)[0]).toMatchObject({ type: 'tool_result', is_error: false });
      expect(existsSync(join(agent.workdir, 'approved.txt'))).toBe(true);

      mock.reply(
        { kind: 'tool_use', name: 'Bash', input: { command: 'touch denied.txt', description: 'Create a file' } },
        { kind: 'text', text: 'Understood, not done.' },
      );
      await prompt('perm', 'Make another file');
      const denied = await waitUntil(
        async () => {
          const r = await sb!.run(['deny', 'perm', '--message', 'Not on this machine']);
          return r.exitCode === 0 ? r : undefined;
        },
        STEP,
        () => 'a pending request to deny',
      );
      expect(denied.stdout).toBe('denied Bash(touch denied.txt) for perm');
      await waitScreen('perm', (s) => s.includes('Understood, not done.') && atInputBox(s), 'the turn after deny');
      expect(toolResults(mock.turns()[3]!.body)[0]).toMatchObject({ is_error: true, content: 'Not on this machine' });
      expect(existsSync(join(agent.workdir, 'denied.txt'))).toBe(false);
      // No dialog left on the screen: the hook's answer closed it.
      expect(await screen('perm')).not.toContain(PROCEED);
      expect((await sb.run(['deny', 'perm'])).exitCode).toBe(1);
    },
    TEST,
  );

  it(
    'after the hook gave up: approve by keys only once the dialog is the active screen',
    async () => {
      tmux = testTmux();
      sb = sandbox(tmux.socket);
      mock = await startMockAnthropic();
      const agent = claudeAgent('keys', 1);
      expect((await sb.run(['reconcile', '--once'])).exitCode).toBe(0);
      await waitScreen('keys', atInputBox, 'the input box');
      mock.reply(
        { kind: 'tool_use', name: 'Bash', input: { command: 'touch by-keys.txt', description: 'Create a file' } },
        { kind: 'text', text: 'Done by keys.' },
      );
      await prompt('keys', 'Make a file');
      await waitScreen('keys', (s) => s.includes(PROCEED), 'the permission dialog');
      // Claude Code shows its dialog at once, while the hook still waits (its 1 s, longer on a busy
      // machine): approve would answer through the hook. Only once the hook gave up is it keys.
      await waitUntil(
        async () => ((await pendingRequests(join(sb!.state, 'run', 'claude'), 'keys')).length === 0 ? true : undefined),
        STEP,
        () => 'the hook to give up',
      );
      expect(await screen('keys')).toContain(PROCEED);
      const r = await sb.run(['approve', 'keys']);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toBe('approved the permission dialog of keys by keys');
      await waitScreen('keys', (s) => s.includes('Done by keys.') && atInputBox(s), 'the turn after the keys');
      expect(toolResults(mock.turns()[1]!.body)[0]).toMatchObject({ is_error: false });
      expect(existsSync(join(agent.workdir, 'by-keys.txt'))).toBe(true);
      // At the input box there is nothing to answer: nothing is typed.
      const again = await sb.run(['approve', 'keys']);
      expect(again.exitCode).toBe(1);
      expect(again.stderr).toMatch(/keys has no pending permission request/);
    },
    TEST,
  );
});
