// The real Claude Code (pinned) driven by agentctl in real tmux: dialogs answered, Ready after SessionStart, activity from its hooks.
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AgentRecord } from '../../../src/registry/record.js';
import { record, useClaudeSandbox } from '../../helpers/claude-agents.js';
import { claudeCodeBinary, prepareClaudeAgent, type ClaudeAgentDirs } from '../../helpers/claude-code.js';
import { waitFor } from '../../helpers/cli.js';
import { startController, type RunningController } from '../../helpers/controller.js';
import { startMockAnthropic, type MockAnthropic } from '../../helpers/mock-anthropic.js';

let bin = '';
let ctl: RunningController | undefined;
let mock: MockAnthropic | undefined;
const agents: ClaudeAgentDirs[] = [];
const fx = useClaudeSandbox(async () => {
  await ctl?.stop();
  ctl = undefined;
});

beforeAll(async () => {
  bin = await claudeCodeBinary();
}, 360_000);

afterEach(async () => {
  await mock?.close();
  mock = undefined;
  for (const a of agents.splice(0)) a.cleanup();
});

const recordWhen = (pred: (r: AgentRecord) => boolean, what: string, timeoutMs = 90_000): Promise<AgentRecord> =>
  waitFor(async () => {
    try {
      const r = record(fx.sb, 'c');
      return pred(r) ? r : false;
    } catch {
      return false;
    }
  }, timeoutMs).catch((e: Error) => {
    let r: unknown = 'no record';
    try {
      r = { claude: record(fx.sb, 'c').claude, events: record(fx.sb, 'c').events.slice(-6) };
    } catch {
      /* none */
    }
    throw new Error(`${what}: ${e.message}; ${JSON.stringify(r)}`);
  });

describe('agentctl and the real Claude Code', () => {
  it('autoAccept answers trust and API key; Ready after SessionStart; a turn Working → Idle; a permission request waits', async () => {
    mock = await startMockAnthropic();
    const agent = prepareClaudeAgent({ baseUrl: mock.url });
    agents.push(agent);
    const spec = {
      claude: { binary: bin, autoAccept: true, flags: ['--permission-mode', 'default'] },
      workdir: agent.workdir,
      env: agent.env,
      startup: { timeoutSeconds: 120 },
    };
    fx.sb.write(
      'c.yaml',
      `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: c\nspec: ${JSON.stringify(spec)}\n`,
    );
    ctl = await startController(fx.sb);

    const ready = await recordWhen((r) => r.ready, 'Ready');
    // Each dialog answered, in order. An Enter the TUI lost is sent again (OBSERVED.md: keys sent
    // just after a dialog shows can be lost under load), so a message may repeat; its cursor move is
    // never an answer, and no answer comes after the session started (below).
    const answered = ready.events.filter((e) => e.reason === 'PromptAnswered');
    expect([...new Set(answered.map((e) => e.message))]).toEqual([
      "answered Claude Code's trust-folder prompt: Yes, I trust this folder",
      "answered Claude Code's custom-api-key prompt: Yes (the agent's own ANTHROPIC_API_KEY)",
    ]);
    expect(answered.reduce((n, e) => n + e.count, 0)).toBeLessThanOrEqual(2 * 3);
    expect(ready.claude).toMatchObject({ sessionStarted: true, activity: 'Idle' });
    // Ready came after this incarnation's SessionStart line was written.
    const events = readFileSync(ready.claude!.hooks!.events, 'utf8').split('\n');
    const started = events.find((l) => l.includes('"hook_event_name":"SessionStart"'))!;
    const readyAt = Date.parse(ready.conditions.find((c) => c.type === 'Ready')!.lastTransitionTime);
    expect(Number(started.split(' ')[2]) * 1000).toBeLessThanOrEqual(readyAt);
    // No key was typed after the session started (the hook's clock has whole seconds).
    for (const e of answered) expect(Date.parse(e.time)).toBeLessThan(Number(started.split(' ')[2]) * 1000 + 1000);

    mock.reply({
      kind: 'text',
      text: 'Hello from the agentctl mock.',
      usage: { input_tokens: 1000, output_tokens: 12 },
    });
    expect((await fx.sb.run(['send', 'c', 'Say hello'])).exitCode).toBe(0);
    await mock.waitFor((r) => r.role === 'turn', 60_000);
    const idle = await recordWhen(
      (r) => r.claude?.activity === 'Idle' && (r.claude.costUsd ?? 0) > 0,
      'Idle with a cost after the turn',
    );
    expect(idle.claude?.sessionId).toBe(ready.claude?.sessionId);
    const json = JSON.parse((await fx.sb.run(['get', 'c', '-o', 'json'])).stdout) as {
      items: { claude: Record<string, unknown> }[];
    };
    expect(json.items[0]!.claude).toMatchObject({
      activity: 'Idle',
      waitingFor: null,
      sessionId: ready.claude?.sessionId,
      transcriptPath: expect.stringContaining('.jsonl') as unknown,
    });
    expect((await fx.sb.run(['get', 'c', '-o', 'wide'])).stdout).toMatch(/\bIdle\b/);

    // A Bash call under --permission-mode default: Claude Code asks, and agentctl says so.
    mock.reply(
      { kind: 'tool_use', name: 'Bash', input: { command: 'touch made-by-mock.txt', description: 'Create a file' } },
      { kind: 'text', text: 'Done.' },
    );
    expect((await fx.sb.run(['send', 'c', 'Make a file'])).exitCode).toBe(0);
    const waiting = await recordWhen((r) => r.claude?.activity === 'WaitingForInput', 'WaitingForInput');
    expect(waiting.claude?.waitingFor).toBe('permission');
    expect(waiting.ready).toBe(true);
    const selected = await fx.sb.run(['get', '--field-selector', 'claude.activity=WaitingForInput', '-o', 'name']);
    expect(selected.stdout.trim()).toBe('agent/c');
    const none = await fx.sb.run(['get', '--field-selector', 'claude.activity!=WaitingForInput', '-o', 'name']);
    expect(none.stdout.trim()).toBe('');
    // Granted (Enter on "1. Yes"): the tool runs, the turn ends.
    const { execa } = await import('execa');
    await execa('tmux', ['-L', fx.sb.env.AGENTCTL_TMUX_SOCKET!, 'send-keys', '-t', 'c', 'Enter']);
    await recordWhen((r) => r.claude?.activity === 'Idle' && r.claude.waitingFor === null, 'Idle after the grant');
  }, 420_000);
});
