// Context management against the stand-in claude in a real tmux pane: the transcript and the pane
// tell the same percentage, and the policy compacts once per crossing of the trigger.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideContext, INITIAL_CONTEXT_POLICY, type ContextPolicyState } from '../../../src/claude/context-policy.js';
import { key, typeLine } from '../../../src/claude/keys.js';
import { paneContextPercent } from '../../../src/claude/pane-context.js';
import { TranscriptReader, transcriptDirs } from '../../../src/claude/transcript.js';
import { localTranscriptFiles } from '../../../src/claude/transcript-files.js';
import { ClaudeContext } from '../../../src/spec/schema.js';
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

async function ready(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ f: FakeClaude; reader: TranscriptReader }> {
  const f = await startFakeClaude(tmux, 'agent', args, env);
  fakes.push(f);
  expect((await autoAccept(f)).step.kind).toBe('ready');
  return { f, reader: new TranscriptReader(localTranscriptFiles, transcriptDirs(f.workdir, f.home)) };
}

/** Types a line and waits until the stand-in has handled it (its events say so). */
async function say(f: FakeClaude, text: string, until = 'line'): Promise<void> {
  const before = f.events().filter((e) => e.event === until).length;
  await f.send(typeLine(text));
  await waitFor(async () => f.events().filter((e) => e.event === until).length > before);
}

describe('context of the stand-in claude', () => {
  it('typed lines are echoed; status comes from the transcript and matches the pane', async () => {
    const { f, reader } = await ready(['--model', 'opus', '--dangerously-skip-permissions'], {
      FAKE_CLAUDE_TOKENS: '30000',
      FAKE_CLAUDE_TURN_TOKENS: '2000',
    });
    expect(await reader.poll('opus')).toMatchObject({
      source: 'transcript',
      model: 'claude-opus-4-5',
      contextPercent: 15,
    });
    await say(f, 'hello there');
    const pane = await waitFor(async () => {
      const p = await f.pane();
      return p.includes('● ok: hello there') && p;
    });
    expect(pane).toContain('> hello there');
    const session = /session ([0-9a-f-]{36})/.exec(pane)?.[1];
    const status = await reader.poll('opus');
    expect(status).toMatchObject({ sessionId: session, contextPercent: 16, contextWindow: 200_000 });
    expect(Date.parse(status.lastActivity ?? '')).toBeGreaterThan(Date.now() - 60_000);
    await say(f, '/fill 42');
    expect((await reader.poll('opus')).contextPercent).toBe(42);
    const filled = await waitFor(async () => {
      const p = await f.pane();
      return p.includes('filled to 42%') && p;
    });
    expect(paneContextPercent(filled)).toBe(42);
  });

  it('the 1M variant asked for in the spec: the percentage is of a million tokens', async () => {
    const { f, reader } = await ready(['--model', 'sonnet[1m]']);
    await say(f, '/fill 30');
    expect(await reader.poll('sonnet[1m]')).toMatchObject({
      model: 'claude-sonnet-4-5',
      contextPercent: 30,
      contextWindow: 1_000_000,
    });
  });

  it('compacts once per crossing: Escape, /compact, Enter; fires again only after falling well below', async () => {
    const { f, reader } = await ready(['--dangerously-skip-permissions'], { FAKE_CLAUDE_TURN_TOKENS: '2000' });
    const policy = ClaudeContext.parse({ triggerAtPercent: 85, strategy: 'compact' });
    let state: ContextPolicyState = INITIAL_CONTEXT_POLICY;
    const actions: string[] = [];
    /** One controller tick: read, decide, act. */
    const tick = async () => {
      const d = decideContext((await reader.poll()).contextPercent, policy, state);
      state = d.state;
      actions.push(d.action ?? '-');
      if (d.action === 'compact') {
        await f.send([key('Escape')]);
        await say(f, '/compact', 'compact');
      }
    };
    await say(f, '/fill 50');
    await tick();
    await say(f, '/fill 90');
    await tick(); // compacts
    await tick(); // context back at 10%: re-armed, nothing to do
    await say(f, '/fill 86');
    await tick(); // compacts again
    await say(f, 'one more line');
    await tick();
    expect(actions).toEqual(['-', 'compact', '-', 'compact', '-']);
    expect(
      f
        .events()
        .filter((e) => e.event === 'compact')
        .map((e) => Math.round(Number(e.before))),
    ).toEqual([90, 86]);
    expect(await f.pane()).toContain('⎿ Compacted (context 86% → 10%)');
    expect((await reader.poll()).contextPercent).toBe(11);
  });

  it('without a transcript --continue exits 1, as Claude Code does; with one it resumes that session', async () => {
    // A pane that stays after its program ends, so the message can be read.
    await tmux.run('new-session', '-d', '-s', 'keep', 'sleep', '600');
    await tmux.run('set-option', '-g', 'remain-on-exit', 'on');
    const first = await startFakeClaude(tmux, 'nothing', ['--continue']);
    fakes.push(first);
    // (#{pane_dead_status} is often blank after an exit: the stand-in records its own status.)
    await waitFor(
      async () => (await tmux.run('list-panes', '-t', 'nothing', '-F', '#{pane_dead}')).stdout.trim() === '1',
    );
    expect(first.events()).toEqual([{ event: 'exit', code: 1, message: 'No conversation found to continue' }]);
    // tmux moves a dead pane's screen into its history: read that too.
    expect((await tmux.run('capture-pane', '-p', '-S', '-', '-t', 'nothing')).stdout).toContain(
      'No conversation found to continue',
    );
    // With a transcript in the workdir, --continue resumes that session.
    await tmux.run('kill-session', '-t', 'nothing');
    const { f, reader } = await ready([]);
    await say(f, 'remember me');
    const session = (await reader.poll()).sessionId;
    await tmux.run('kill-session', '-t', 'agent');
    const again = await startFakeClaude(tmux, 'again', ['--continue'], { HOME: f.home }, f.workdir);
    fakes.push(again);
    expect(await waitFor(async () => again.events().find((e) => e.event === 'start'))).toMatchObject({ session });
  });
});
