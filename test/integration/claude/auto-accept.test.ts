// The stand-in claude in a real tmux pane, driven by src/claude/prompts.ts: every start-up prompt
// answered until the ready screen, and a wrong key refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { key, lit } from '../../../src/claude/keys.js';
import { classifyPane } from '../../../src/claude/prompts.js';
import { waitFor } from '../../helpers/cli.js';
import { autoAccept, startFakeClaude, type FakeClaude } from '../../helpers/fake-claude.js';
import { testTmux, type TestTmux } from '../../helpers/tmux.js';

let tmux: TestTmux;
const fakes: FakeClaude[] = [];

beforeEach(() => {
  tmux = testTmux();
});
afterEach(async () => {
  await tmux.kill();
  for (const f of fakes.splice(0)) f.cleanup();
});

async function start(args: string[], env: Record<string, string> = {}): Promise<FakeClaude> {
  const f = await startFakeClaude(tmux, `c${fakes.length}`, args, env);
  fakes.push(f);
  return f;
}

const answers = (f: FakeClaude) =>
  f
    .events()
    .filter((e) => e.event === 'answer')
    .map((e) => `${String(e.name)}: ${String(e.choice)}`);

describe('auto-accept against the stand-in claude in a real tmux pane', () => {
  it.each<{ case: string; args: string[]; env: Record<string, string>; sent: string[]; chose: string[] }>([
    {
      case: 'bypass permissions',
      args: ['--dangerously-skip-permissions'],
      env: {},
      sent: ['bypass-permissions'],
      chose: ['bypass: Yes, I accept'],
    },
    {
      case: 'development channels',
      args: ['--dangerously-load-development-channels', 'server:webhook'],
      env: {},
      sent: ['development-channels'],
      chose: ['channels: I am using this for local development'],
    },
    {
      case: 'thinking effort',
      args: [],
      env: { FAKE_CLAUDE_PROMPTS: 'thinking' },
      sent: ['thinking-effort'],
      chose: ['thinking: Medium (recommended)'],
    },
    {
      case: 'the y/n skip-permissions question',
      args: [],
      env: { FAKE_CLAUDE_PROMPTS: 'yn' },
      sent: ['skip-permissions-yn'],
      chose: ['yn: y'],
    },
    {
      case: 'trust this folder',
      args: [],
      env: { FAKE_CLAUDE_PROMPTS: 'trust' },
      sent: ['trust-folder'],
      chose: ['trust: Yes, proceed'],
    },
    {
      case: 'all of them in one start',
      args: [
        '--model',
        'opus',
        '--dangerously-skip-permissions',
        '--channels',
        'plugin:telegram@claude-plugins-official',
      ],
      env: { FAKE_CLAUDE_PROMPTS: 'trust,yn,thinking' },
      sent: ['trust-folder', 'skip-permissions-yn', 'bypass-permissions', 'development-channels', 'thinking-effort'],
      chose: [
        'trust: Yes, proceed',
        'yn: y',
        'bypass: Yes, I accept',
        'channels: I am using this for local development',
        'thinking: Medium (recommended)',
      ],
    },
    { case: 'no prompt at all', args: ['--model', 'sonnet'], env: {}, sent: [], chose: [] },
  ])('$case: answered, then ready', async ({ args, env, sent, chose }) => {
    const f = await start(args, env);
    const r = await autoAccept(f);
    expect(r.step).toEqual({ kind: 'ready', answered: sent });
    expect(r.sent).toEqual(sent);
    expect(answers(f)).toEqual(chose);
    expect(f.events().filter((e) => e.event === 'refused')).toEqual([]);
    const pane = await f.pane();
    expect(pane).toContain('stdin is a TTY: yes · terminal 100x40');
    expect(pane).toMatch(/^❯\s*$/m); // the empty input line (capture-pane drops trailing blanks)
    expect(pane).toContain('Context left until auto-compact: 100%');
  });

  it('refuses a wrong key and keeps waiting; the right keys still get it to ready', async () => {
    const f = await start(['--dangerously-skip-permissions']);
    await waitFor(async () => classifyPane(await f.pane()).kind === 'prompt');
    await f.send([lit('x'), key('Tab'), lit('7')]);
    const pane = await waitFor(async () => {
      const p = await f.pane();
      return p.includes('refused key "7"') && p;
    });
    expect(pane).toContain('refused key "x" at the bypass prompt');
    expect(pane).toContain('refused key Tab at the bypass prompt');
    expect(classifyPane(pane)).toMatchObject({ kind: 'prompt', prompt: 'bypass-permissions' });
    const r = await autoAccept(f);
    expect(r.step.kind).toBe('ready');
    expect(answers(f)).toEqual(['bypass: Yes, I accept']);
  });

  it('Enter alone on the bypass dialog chooses "No, exit": the program ends with status 2', async () => {
    const f = await start(['--dangerously-skip-permissions']);
    await waitFor(async () => classifyPane(await f.pane()).kind === 'prompt');
    await f.send([key('Enter')]);
    const exit = await waitFor(async () => f.events().find((e) => e.event === 'exit'));
    expect(exit).toMatchObject({ code: 2, message: 'Declined: bypass (No, exit).' });
  });

  it('keys sent before the TUI draws are lost; the prompt is answered once it shows', async () => {
    const f = await start(['--dangerously-skip-permissions'], { FAKE_CLAUDE_STARTUP_MS: '1500' });
    await f.send([lit('2'), key('Enter')]);
    const r = await autoAccept(f);
    expect(r.step.kind).toBe('ready');
    expect(
      f
        .events()
        .filter((e) => e.event === 'dropped')
        .map((e) => e.key),
    ).toEqual(['2', 'Enter']);
    expect(answers(f)).toEqual(['bypass: Yes, I accept']);
  });
});
