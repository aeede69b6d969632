// The context-restart bug (issue 20): after the ContextFull roll the new Claude must not be Ready
// while it still sits on its bypass-permissions dialog, nor show the old session's figure.
// The stand-in claude is used here: the real one cannot be filled to 95 % without a long mock
// conversation, and what matters is the controller's reading of the new incarnation.
import { describe, expect, it } from 'vitest';
import { fakeAgentYaml, fakeEvents, record, useClaudeSandbox } from '../../helpers/claude-agents.js';
import { waitFor } from '../../helpers/cli.js';
import { startController, type RunningController } from '../../helpers/controller.js';

let ctl: RunningController | undefined;
const fx = useClaudeSandbox(async () => {
  await ctl?.stop();
  ctl = undefined;
});

describe('claude.context restart and Ready', () => {
  it('the new incarnation is Ready only once its bypass dialog is answered and its session started; the old 95 % is gone', async () => {
    fx.sb.write(
      'r.yaml',
      fakeAgentYaml(fx.sb, 'r', {
        claude: {
          autoAccept: true,
          flags: ['--dangerously-skip-permissions'],
          context: { triggerAtPercent: 90, strategy: 'restart', checkIntervalSeconds: 0.5 },
        },
        // A slow start: the new incarnation's dialog comes well after the roll.
        env: { FAKE_CLAUDE_STARTUP_MS: '2500' },
      }),
    );
    ctl = await startController(fx.sb);
    const first = await waitFor(async () => (record(fx.sb, 'r').ready ? record(fx.sb, 'r') : false), 40_000);
    expect((await fx.sb.run(['send', 'r', '/fill 95'])).exitCode).toBe(0);
    // Every record written after the roll: never Ready before the second bypass answer, never 95 %.
    const seen: string[] = [];
    const wrong: string[] = [];
    const rolled = await waitFor(
      async () => {
        const r = record(fx.sb, 'r');
        if (r.handle === first.handle || r.restarts === 0) return false;
        const answers = fakeEvents(fx.sb, 'r').filter((e) => e.event === 'answer' && e.name === 'bypass').length;
        seen.push(
          `ready=${r.ready} answers=${answers} context=${r.claude?.contextPercent} session=${r.claude?.sessionId}`,
        );
        if (r.ready && answers < 2) wrong.push(`Ready before the new bypass dialog was answered (${seen.at(-1)})`);
        if (r.claude?.contextPercent === 95)
          wrong.push(`the old session's 95 % shown for the new one (${seen.at(-1)})`);
        return r.ready || wrong.length > 0 ? r : false;
      },
      60_000,
      100,
    );
    expect(wrong).toEqual([]);
    expect(rolled.events.some((e) => e.reason === 'ContextFull')).toBe(true);
    expect(rolled.claude?.sessionStarted).toBe(true);
    expect(rolled.claude?.sessionId).not.toBe(first.claude?.sessionId);
    expect(fakeEvents(fx.sb, 'r').filter((e) => e.event === 'ready')).toHaveLength(2);
  });
});
