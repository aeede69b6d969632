// Attention with the real Claude Code run by a controller: URL notices on waits and idle turns (latency measured), approve through agentctl's own layer, a budget.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { startMockAnthropic, toolResults, type MockAnthropic } from '../../helpers/mock-anthropic.js';
import { testTmux, type TestTmux } from '../../helpers/tmux.js';

const STEP = 90_000;
let bin = '';
let tmux: TestTmux | undefined;
let mock: MockAnthropic | undefined;
let sb: Sandbox | undefined;
let ctl: RunningController | undefined;
let hookServer: Server | undefined;
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
  hookServer?.closeAllConnections();
  await new Promise((r) => hookServer?.close(r) ?? r(undefined));
  for (const d of dirs.splice(0)) d.cleanup();
  sb?.cleanup();
  sb = undefined;
});

interface Received {
  at: number;
  body: Record<string, unknown>;
}

async function receiver(): Promise<{ url: string; got: Received[] }> {
  const got: Received[] = [];
  hookServer = createServer((req, res) => {
    let b = '';
    req.on('data', (c: Buffer) => (b += c.toString()));
    req.on('end', () => {
      got.push({ at: Date.now(), body: JSON.parse(b) as Record<string, unknown> });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hookServer!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/notify`, got };
}

const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

describe('attention with the real Claude Code', () => {
  it('a URL notice per wait and per ended turn, approve through the layer, then the budget suspends it', async () => {
    tmux = testTmux();
    sb = sandbox(tmux.socket);
    mock = await startMockAnthropic();
    const hook = await receiver();
    const agent = prepareClaudeAgent({ baseUrl: mock.url, preAccept: true });
    dirs.push(agent);
    const spec = (budget: string): string =>
      [
        'apiVersion: agentctl/v1',
        'kind: Agent',
        'metadata: {name: att}',
        'spec:',
        `  workdir: ${agent.workdir}`,
        `  env: ${JSON.stringify(agent.env)}`,
        `  claude: {binary: ${bin}, flags: [--permission-mode, default]${budget}}`,
        `  hooks: {onWaiting: [{url: "${hook.url}"}], onIdle: [{url: "${hook.url}"}]}`,
        '',
      ].join('\n');
    sb.write('att.yaml', spec(''));
    ctl = await startController(sb, ['--resync', '5s']);
    const screen = async (): Promise<string> => (await tmux!.run('capture-pane', '-p', '-t', 'att')).stdout;
    await waitUntil(
      async () => (atInputBox(await screen()) ? true : undefined),
      STEP,
      () => 'the input box',
    );

    const latencies: number[] = [];
    // AGENTCTL_ATTENTION_ROUNDS=20 measures p50/p99 over more waits (about 15 s each).
    const ROUNDS = Number(process.env.AGENTCTL_ATTENTION_ROUNDS ?? 4);
    for (let i = 0; i < ROUNDS; i++) {
      const before = hook.got.length;
      mock.reply(
        { kind: 'tool_use', name: 'Bash', input: { command: `touch f${i}.txt`, description: 'Create a file' } },
        { kind: 'text', text: `Made ${i}.`, usage: { input_tokens: 1000, output_tokens: 100 } },
      );
      const turns = mock.turns().length;
      await waitUntil(
        async () => ((await sb!.run(['send', 'att', `Make file ${i}`])).exitCode === 0 ? true : undefined),
        STEP,
        () => 'send',
      );
      const asked = await mock.waitFor(
        (r) => r.role === 'turn',
        STEP,
        mock.requests.indexOf(mock.turns()[turns - 1]!) + 1,
      );
      const waiting = await waitUntil(
        async () => hook.got.slice(before).find((g) => g.body.activity === 'WaitingForInput'),
        STEP,
        () => `onWaiting; got ${JSON.stringify(hook.got.slice(before))}`,
      );
      latencies.push(waiting.at - asked.at);
      expect(waiting.body).toMatchObject({ agent: 'att', waitingFor: 'permission', host: 'testhost' });
      expect(typeof waiting.body.since).toBe('string');
      const a = await waitUntil(
        async () => {
          const r = await sb!.run(['approve', 'att']);
          return r.exitCode === 0 ? r : undefined;
        },
        STEP,
        () => 'approve',
      );
      expect(a.stdout).toBe(`approved Bash(touch f${i}.txt) for att`);
      await waitUntil(
        async () => hook.got.slice(before).find((g) => g.body.activity === 'Idle'),
        STEP,
        () => `onIdle; got ${JSON.stringify(hook.got.slice(before))}`,
      );
      // The turn after the approval carries the tool's result.
      expect(toolResults(mock.turns()[turns + 1]!.body)[0]).toMatchObject({ type: 'tool_result', is_error: false });
      // Debounce: the next wait is more than 10 s after this one.
      await new Promise((r) => setTimeout(r, 10_500));
    }
    // Once per wait: exactly one onWaiting and one onIdle per round.
    expect(hook.got.filter((g) => g.body.activity === 'WaitingForInput')).toHaveLength(ROUNDS);
    expect(hook.got.filter((g) => g.body.activity === 'Idle')).toHaveLength(ROUNDS);
    const events = (await sb.run(['describe', 'att'])).stdout;
    expect(events).toMatch(/WaitingForInput.*waiting for permission/);
    console.log(
      `wait → URL hook (from the tool_use request at the mock), ms: ${latencies.join(', ')}; ` +
        `p50 ${pct(latencies, 50)}, p99 ${pct(latencies, 99)}`,
    );

    // A budget below what was spent: suspended (and stopped), reason BudgetExceeded.
    sb.write('att.yaml', spec(', budget: {usdPerDay: 0.0001}'));
    const got = await waitUntil(
      async () => {
        const r = await sb!.run(['get', 'att', '-o', 'json']);
        const item = (JSON.parse(r.stdout) as { items: Record<string, unknown>[] }).items[0]!;
        return item.phase === 'Suspended' ? item : undefined;
      },
      STEP,
      () => 'Suspended',
    );
    expect(JSON.stringify(got)).toMatch(/BudgetExceeded/);
  }, 1_800_000);
});
