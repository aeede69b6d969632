// claude.context under a real controller, with the stand-in claude in a real tmux: compact or roll at the
// trigger, once per crossing; status in get/describe; the pane when there is no transcript.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentRecord } from '../../../src/registry/record.js';
import { fakeAgentYaml, fakeEvents, record, useClaudeSandbox } from '../../helpers/claude-agents.js';
import { waitFor } from '../../helpers/cli.js';
import { startController, type RunningController } from '../../helpers/controller.js';

let ctl: RunningController | undefined;
const fx = useClaudeSandbox(async () => {
  await ctl?.stop();
  ctl = undefined;
});

const hookLog = () => join(fx.sb.dir, 'hooks.log');
const hookLines = () =>
  existsSync(hookLog()) ? readFileSync(hookLog(), 'utf8').trim().split('\n').filter(Boolean) : [];
const appendHook = (word: string) => [{ exec: ['sh', '-c', `echo "${word} $AGENTCTL_AGENT" >> "$0"`, hookLog()] }];
const compacts = (name: string) => fakeEvents(fx.sb, name).filter((e) => e.event === 'compact').length;
/** The record once `pred` holds (a record not written yet counts as "not yet"). */
const recordWhen = (name: string, pred: (r: AgentRecord) => boolean, timeoutMs = 20_000) =>
  waitFor(async () => (pred(record(fx.sb, name)) ? record(fx.sb, name) : false), timeoutMs);
/** Until the stand-in has compacted `n` times; on a timeout, says what the controller saw. */
const untilCompacts = (name: string, n: number) =>
  waitFor(async () => compacts(name) === n, 30_000).catch((e: Error) => {
    const r = record(fx.sb, name);
    throw new Error(
      `${e.message}; compactions seen by the stand-in: ${compacts(name)}; record.claude: ${JSON.stringify(r.claude)}; last events: ${JSON.stringify(r.events.slice(-5))}; stand-in events: ${JSON.stringify(fakeEvents(fx.sb, name).slice(-8))}`,
    );
  });
const send = async (name: string, text: string) => expect((await fx.sb.run(['send', name, text])).exitCode).toBe(0);
const CONTEXT = { triggerAtPercent: 50, checkIntervalSeconds: 0.5 };

describe('claude.context under a running controller', () => {
  it('compacts at the trigger (Escape, /compact, Enter, onCompact), not again while above it, again after falling well below', async () => {
    fx.sb.write(
      'c.yaml',
      fakeAgentYaml(fx.sb, 'c', {
        claude: { model: 'opus', context: { ...CONTEXT, strategy: 'compact' } },
        // A compaction that leaves the context above the trigger: it must still not fire twice.
        env: { FAKE_CLAUDE_COMPACT_TO_PERCENT: '55', FAKE_CLAUDE_TURN_TOKENS: '2000' },
        spec: { hooks: { onCompact: appendHook('compacted') } },
      }),
    );
    ctl = await startController(fx.sb);
    await recordWhen('c', (r) => r.ready);
    await send('c', '/fill 60');
    await untilCompacts('c', 1);
    // (A poll between the compaction's boundary line and its next turn finds no figure in the
    // transcript and reads the pane instead: wait for the transcript's own figure.)
    const after = await recordWhen('c', (r) => r.claude?.contextPercent === 55 && r.claude.source === 'hooks');
    expect(after.events.filter((e) => e.reason === 'ContextCompacted').map((e) => e.message)).toEqual([
      'context 60% ≥ 50%: compacting (Escape, /compact, Enter)',
    ]);
    expect(after.claude).toMatchObject({
      armed: false,
      compactions: 1,
      source: 'hooks',
      model: 'claude-opus-4-5',
    });
    expect(fakeEvents(fx.sb, 'c').filter((e) => e.event === 'escape')).toHaveLength(1);
    await waitFor(async () => hookLines().length === 1);
    expect(hookLines()).toEqual(['compacted c']);

    // Still above the trigger: a new reading is looked at, and nothing fires.
    await send('c', 'one more line');
    await recordWhen('c', (r) => r.claude?.contextPercent === 56);
    expect(compacts('c')).toBe(1);

    // Well below (≤ 30%): re-armed; the next crossing compacts again.
    await send('c', '/fill 20');
    await recordWhen('c', (r) => r.claude?.contextPercent === 20 && r.claude.armed);
    await send('c', '/fill 70');
    await untilCompacts('c', 2);
    await waitFor(async () => hookLines().length === 2);
    expect(
      fakeEvents(fx.sb, 'c')
        .filter((e) => e.event === 'compact')
        .map((e) => Math.round(Number(e.before))),
    ).toEqual([60, 70]);

    // Status: get -o json / -o wide / describe (once the reading after the compaction is in).
    await recordWhen(
      'c',
      (r) => r.claude?.compactions === 2 && r.claude.contextPercent === 55 && r.claude.source === 'hooks',
    );
    const item = (
      JSON.parse((await fx.sb.run(['get', 'c', '-o', 'json'])).stdout) as {
        items: { claude: Record<string, unknown> }[];
      }
    ).items[0]!;
    expect(item.claude).toMatchObject({
      model: 'claude-opus-4-5',
      sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      contextPercent: 55,
      lastActivity: expect.any(String),
    });
    expect((await fx.sb.run(['get', 'c', '-o', 'wide'])).stdout).toMatch(/claude-opus-4-5\s+55%/);
    expect((await fx.sb.run(['describe', 'c'])).stdout).toMatch(
      /Claude:\s+model claude-opus-4-5, session [0-9a-f-]{36}, context 55% \(from the status line\)/,
    );
  });

  it('restart: rolls the agent (ContextFull) and runs onRestart; the continued session still above the trigger does not roll it again', async () => {
    fx.sb.write(
      'r.yaml',
      fakeAgentYaml(fx.sb, 'r', {
        claude: { model: 'sonnet', session: 'continue-or-new', context: { ...CONTEXT, strategy: 'restart' } },
        // Every start writes a turn at 60% at once: the first incarnation crosses the trigger, the
        // second (continuing the same session) is still above it.
        env: { FAKE_CLAUDE_TOKENS: '120000' },
        spec: { hooks: { onRestart: appendHook('restarted') } },
      }),
    );
    ctl = await startController(fx.sb);
    const rolled = await recordWhen('r', (r) => r.restarts === 1 && r.ready);
    const restarted = rolled.events.find((e) => e.reason === 'Restarted');
    // A context restart goes through the backoff like any other, and says which in a row it is.
    expect(restarted?.message).toBe('restarted (ContextFull: context 60% ≥ 50% (restart 1 in a row))');
    expect(rolled.events.filter((e) => e.reason === 'ContextFull').map((e) => e.message)).toEqual([
      'context 60% ≥ 50%: restarting the agent',
    ]);
    await waitFor(async () => hookLines().length === 1);
    expect(hookLines()).toEqual(['restarted r']);
    const firstSession = fakeEvents(fx.sb, 'r').find((e) => e.event === 'start')!.session;

    // The new incarnation's own turn (60% again, same session) is read and decided on: no second roll.
    const seen = await recordWhen(
      'r',
      (r) =>
        r.claude!.checkedAt! > r.startedAt! &&
        fakeEvents(fx.sb, 'r').filter((e) => e.event === 'ready').length === 2 &&
        r.claude!.lastActivity !== rolled.claude!.lastActivity,
    );
    expect(seen.claude).toMatchObject({
      contextPercent: 60,
      armed: false,
      sessionId: firstSession,
      restartPending: null,
    });
    expect(seen.restarts).toBe(1);
    expect(fakeEvents(fx.sb, 'r').filter((e) => e.event === 'start')).toHaveLength(2);
    expect(hookLines()).toHaveLength(1);
  });

  it('reads the context off the pane when there is no transcript to read, and acts on it', async () => {
    fx.sb.write(
      'p.yaml',
      fakeAgentYaml(fx.sb, 'p', {
        claude: { context: { ...CONTEXT, strategy: 'compact' } },
        // Transcripts go to another $HOME than the controller's, and this Claude Code runs no
        // hooks (no status line): only the pane tells.
        env: { HOME: join(fx.sb.dir, 'elsewhere'), FAKE_CLAUDE_TOKENS: '60000', FAKE_CLAUDE_NO_HOOKS: '1' },
      }),
    );
    ctl = await startController(fx.sb);
    const first = await recordWhen('p', (r) => r.claude?.contextPercent === 30);
    expect(first.claude).toMatchObject({ source: 'pane' });
    await send('p', '/fill 64');
    await untilCompacts('p', 1);
    // (The stand-in may act on the keys before the controller has written its record.)
    const rec = await recordWhen('p', (r) => r.events.some((e) => e.reason === 'ContextCompacted'));
    expect(rec.events.find((e) => e.reason === 'ContextCompacted')?.message).toBe(
      'context 64% ≥ 50%: compacting (Escape, /compact, Enter)',
    );
  });
});
