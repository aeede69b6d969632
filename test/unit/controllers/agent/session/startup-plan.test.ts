// The start-up step function: prompts, ready pattern, commands, timeouts, stale captures (pure).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeKeys } from '../../../../../src/claude/keys.js';
import { AgentSpecBody } from '../../../../../src/spec/schema.js';
import type { StartupRecord } from '../../../../../src/registry/session-record.js';
import {
  beginStartup,
  nextStartupStep,
  paneTail,
  startupMessage,
  startupSpecOf,
  type StartupSpec,
  type StartupStep,
} from '../../../../../controllers/agent/session/startup-plan.js';
import { ROOT } from '../../../../helpers/cli.js';

const pane = (name: string): string =>
  readFileSync(join(ROOT, 'test', 'fixtures', 'claude-panes', `${name}.txt`), 'utf8');
const T0 = 1_000_000;
const specOf = (body: Record<string, unknown>): StartupSpec | undefined => startupSpecOf(AgentSpecBody.parse(body));
const claude = (extra: Record<string, unknown> = {}, startup?: Record<string, unknown>) =>
  specOf({ claude: { autoAccept: true, ...extra }, ...(startup ? { startup } : {}) })!;
const cmd = (startup: Record<string, unknown>) => specOf({ command: ['sh'], startup })!;

/** Runs steps over a script of (time, pane text) and returns each step's summary. */
function run(
  s: StartupSpec,
  script: [number, string | undefined][],
  st: StartupRecord = beginStartup(s, 'h1', T0),
): { steps: string[]; last: StartupStep } {
  const steps: string[] = [];
  let last!: StartupStep;
  for (const [at, text] of script) {
    last = nextStartupStep(s, st, text === undefined ? undefined : { text, takenAt: T0 + at - 1 }, T0 + at);
    st = last.state;
    const parts: string[] = [st.stage];
    if (last.keys) parts.push(describeKeys(last.keys));
    for (const e of last.events) parts.push(e.reason);
    if (last.failed) parts.push('failed');
    if (last.wakeAt !== undefined) parts.push(`wake+${last.wakeAt - T0}`);
    steps.push(parts.join(' '));
  }
  return { steps, last };
}

describe('startupSpecOf', () => {
  it.each([
    { case: 'a plain command', body: { command: ['sh'] }, want: undefined },
    { case: 'claude without autoAccept', body: { claude: {} }, want: undefined },
    { case: 'startup without pattern or commands', body: { command: ['sh'], startup: {} }, want: undefined },
    {
      case: 'autoAccept alone: 90 s, Fail',
      body: { claude: { autoAccept: true } },
      want: { autoAccept: true, timeoutMs: 90_000, onTimeout: 'Fail', commands: [] },
    },
    {
      case: 'pattern and commands',
      body: {
        command: ['sh'],
        startup: {
          readyPattern: '\\$ $',
          timeoutSeconds: 5,
          onTimeout: 'Proceed',
          commands: [{ text: 'ls', delaySeconds: 2 }],
        },
      },
      want: {
        autoAccept: false,
        readyPattern: /\$ $/m,
        timeoutMs: 5000,
        onTimeout: 'Proceed',
        commands: [{ text: 'ls', delayMs: 2000 }],
      },
    },
  ])('$case', ({ body, want }) => {
    expect(specOf(body)).toEqual(want);
  });

  it('the pattern is matched per line (^ and $ at line ends)', () => {
    expect(cmd({ readyPattern: '^READY$' }).readyPattern!.test('boot\nREADY\n')).toBe(true);
  });
});

describe('nextStartupStep', () => {
  it('answers each prompt once, waits while the TUI redraws, then is ready', () => {
    const { steps } = run(claude(), [
      [100, pane('starting')],
      [500, pane('bypass-permissions')],
      [700, pane('bypass-permissions')], // not redrawn yet: no second answer
      [900, pane('thinking-effort')],
      [1200, pane('ready-bypass')],
    ]);
    expect(steps).toEqual([
      'accepting wake+90000',
      'accepting "2" Enter PromptAnswered wake+5500',
      'accepting wake+5500',
      'accepting "1" Enter PromptAnswered wake+5900',
      'done SessionReady',
    ]);
  });

  it('a 2.1.x menu: the cursor move is no answer and is looked at again soon; the Enter is the answer', () => {
    const trust = readFileSync(join(ROOT, 'test', 'fixtures', 'claude-real', 'screens', 'trust-folder.txt'), 'utf8');
    const onYes = trust.replace('❯ No, exit', '  No, exit').replace('  Yes, I trust', '❯ Yes, I trust');
    const { steps, last } = run(claude(), [
      [100, trust],
      [400, trust], // not redrawn yet
      [700, onYes],
      [1000, pane('ready-default')],
    ]);
    expect(steps).toEqual([
      'accepting Down wake+400',
      'accepting wake+700',
      'accepting Enter PromptAnswered wake+5700',
      'done SessionReady',
    ]);
    expect(last.state.answered).toEqual({ 'trust-folder': 1 });
  });

  it('a capture taken before the last keys is not looked at', () => {
    const s = claude();
    const st = nextStartupStep(
      s,
      beginStartup(s, 'h1', T0),
      { text: pane('bypass-permissions'), takenAt: T0 + 10 },
      T0 + 20,
    ).state;
    expect(st.lastKeysAt).toBe(T0 + 20);
    // The same (stale) screen, captured before the keys went out: nothing is sent again.
    const again = nextStartupStep(s, st, { text: pane('bypass-permissions'), takenAt: T0 + 15 }, T0 + 5000);
    expect(again.keys).toBeUndefined();
    expect(again.wakeAt).toBe(T0 + 90_000);
  });

  it('resends after the resend window (doubled per answer) while the prompt stays, then gives up as stuck', () => {
    const { steps, last } = run(claude(), [
      [100, pane('bypass-permissions')],
      [5200, pane('bypass-permissions')],
      [9000, pane('bypass-permissions')], // 3.8 s after the second answer: a slow TUI, not lost keys
      [15300, pane('bypass-permissions')],
      [35400, pane('bypass-permissions')],
    ]);
    expect(steps).toEqual([
      'accepting "2" Enter PromptAnswered wake+5100',
      'accepting "2" Enter PromptAnswered wake+15200',
      'accepting wake+15200',
      'accepting "2" Enter PromptAnswered wake+35300',
      'done StartupTimeout failed',
    ]);
    expect(last.failed).toMatch(/bypass-permissions prompt stayed after 3 answers/);
    expect(last.events[0]!.message).toContain('Bypass Permissions mode');
  });

  it('after the prompts, waits for the ready pattern, then types the commands after their delays', () => {
    const s = claude(
      {},
      {
        readyPattern: 'PATTERN-OK',
        commands: [{ text: '/status', delaySeconds: 1 }, { text: 'hello' }, { text: 'again', delaySeconds: 2 }],
      },
    );
    const { steps } = run(s, [
      [100, pane('ready-default')], // ready screen, no pattern yet
      [200, `${pane('ready-default')}\nPATTERN-OK`],
      [700, undefined],
      [1200, undefined],
      [1300, undefined],
      [2000, undefined],
      [3300, undefined],
    ]);
    expect(steps).toEqual([
      'waiting wake+90000',
      'commands SessionReady wake+1200',
      'commands wake+1200',
      'commands "/status" Enter wake+1200',
      'commands "hello" Enter wake+3300',
      'commands wake+3300',
      'done "again" Enter',
    ]);
  });

  it('commands of a plain terminal agent without a pattern start from the start', () => {
    const { steps } = run(cmd({ commands: [{ text: 'echo hi', delaySeconds: 0.5 }] }), [
      [100, undefined],
      [600, undefined],
    ]);
    expect(steps).toEqual(['commands wake+500', 'done "echo hi" Enter']);
  });

  it('timeout waiting for the pattern: Fail ends it with the pane in the event', () => {
    const { steps, last } = run(cmd({ readyPattern: 'NEVER', timeoutSeconds: 2 }), [
      [500, 'booting...\nstill booting'],
      [2000, 'booting...\nstill booting\nno luck'],
    ]);
    expect(steps).toEqual(['waiting wake+2000', 'done StartupTimeout failed']);
    expect(last.state.outcome).toBe('Failed');
    expect(last.events[0]).toMatchObject({ type: 'Warning', reason: 'StartupTimeout' });
    expect(last.events[0]!.message).toBe(
      'start-up did not finish within 2s (waiting for /NEVER/ on the pane): ending it (onTimeout: Fail); the pane showed:\nbooting...\nstill booting\nno luck',
    );
  });

  it('timeout with Proceed: a Warning, then the commands as if ready', () => {
    const { steps, last } = run(
      cmd({ readyPattern: 'NEVER', timeoutSeconds: 2, onTimeout: 'Proceed', commands: [{ text: 'go' }] }),
      [
        [500, 'x'],
        [2100, 'x'],
      ],
    );
    expect(steps).toEqual(['waiting wake+2000', 'done "go" Enter StartupTimeout']);
    expect(last.state.outcome).toBe('Proceeded');
    expect(last.events[0]!.message).toMatch(/going on \(onTimeout: Proceed\)/);
  });

  it('no capture at all until the deadline: times out saying the pane could not be read', () => {
    const { last } = run(claude({}, { timeoutSeconds: 1 }), [[1000, undefined]]);
    expect(last.failed).toBeDefined();
    expect(last.events[0]!.message).toMatch(/the pane could not be read$/);
  });
});

describe('startupMessage and paneTail', () => {
  it('says what start-up waits for', () => {
    const s = cmd({ readyPattern: 'READY', commands: [{ text: 'a' }, { text: 'b' }] });
    const st = beginStartup(s, 'h', T0);
    expect(startupMessage(s, st)).toBe('starting up: waiting for /READY/ on the pane');
    expect(startupMessage(s, { ...st, stage: 'commands', commandsSent: 1 })).toBe(
      'starting up: typing startup commands (1/2 typed)',
    );
    expect(startupMessage(claude(), beginStartup(claude(), 'h', T0))).toBe(
      "starting up: answering Claude Code's start-up prompts",
    );
  });

  it('keeps the last non-blank lines, bounded', () => {
    expect(paneTail('a\n\n b  \n\n', 5)).toBe('a\n b');
    expect(paneTail(Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n'), 3)).toBe('l27\nl28\nl29');
    expect(paneTail('x'.repeat(5000)).length).toBe(1500);
  });
});

describe('start-up and the incarnation (DESIGN §10.2)', () => {
  const s = claude({ flags: ['--dangerously-skip-permissions'] });

  it('a capture of the pane taken before this incarnation started (the one before it) is not read', () => {
    const st = beginStartup(s, 'h2', T0);
    const old = nextStartupStep(s, st, { text: pane('ready-bypass'), takenAt: T0 - 5 }, T0 + 10);
    expect(old.state.stage).toBe('accepting');
    expect(old.keys).toBeUndefined();
    const now = nextStartupStep(s, st, { text: pane('bypass-permissions'), takenAt: T0 + 20 }, T0 + 30);
    expect(now.keys).toBeDefined();
  });

  it("after this incarnation's SessionStart nothing is typed, even with a prompt-like screen", () => {
    const st = beginStartup(s, 'h1', T0);
    const r = nextStartupStep(s, st, { text: pane('bypass-permissions'), takenAt: T0 + 10 }, T0 + 20, true);
    expect(r.keys).toBeUndefined();
    expect(r.state.stage).toBe('done');
    expect(r.events.map((e) => e.reason)).toEqual(['SessionReady']);
    expect(r.events[0]!.message).toContain('SessionStart hook ran');
  });
});
