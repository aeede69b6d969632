// Runs the stand-in claude (test/fixtures/fake-claude/claude) in a private tmux pane and drives it
// the way agentctl will: capture the visible pane, decide, send keys one send-keys call at a time.
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sendKeysArgs, type KeyStep } from '../../src/claude/keys.js';
import {
  AUTO_ACCEPT_DEFAULTS,
  nextAutoAcceptStep,
  startAutoAccept,
  type AutoAcceptStep,
} from '../../src/claude/prompts.js';
import { ROOT } from './cli.js';
import type { TestTmux } from './tmux.js';
import { removeTree } from './remove-tree.js';

export const FAKE_CLAUDE = join(ROOT, 'test', 'fixtures', 'fake-claude', 'claude');

export interface FakeEvent {
  event: string;
  [k: string]: unknown;
}

export interface FakeClaude {
  name: string;
  /** Its $HOME (transcripts under .claude/projects) and its working directory. */
  home: string;
  workdir: string;
  pane(): Promise<string>;
  send(steps: readonly KeyStep[]): Promise<void>;
  events(): FakeEvent[];
  cleanup(): void;
}

/** `env.HOME` and `existingWorkdir` let a second start share the first one's transcripts. */
export async function startFakeClaude(
  tmux: TestTmux,
  name: string,
  args: string[],
  env: Record<string, string> = {},
  existingWorkdir?: string,
): Promise<FakeClaude> {
  const base = mkdtempSync(join(tmpdir(), 'agentctl-fake-claude-'));
  const home = env.HOME ?? join(base, 'home');
  const workdir = existingWorkdir ?? join(base, 'work');
  mkdirSync(home, { recursive: true });
  mkdirSync(workdir, { recursive: true });
  const eventsFile = join(base, 'events.jsonl');
  const envArgs = Object.entries({ HOME: home, FAKE_CLAUDE_EVENTS: eventsFile, ...env }).flatMap(([k, v]) => [
    '-e',
    `${k}=${v}`,
  ]);
  const r = await tmux.run(
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    '100',
    '-y',
    '40',
    '-c',
    workdir,
    ...envArgs,
    '--',
    FAKE_CLAUDE,
    ...args,
  );
  if (r.exitCode !== 0) throw new Error(`tmux new-session: ${r.stderr}`);
  return {
    name,
    home,
    workdir,
    async pane() {
      return (await tmux.run('capture-pane', '-p', '-t', name)).stdout;
    },
    async send(steps) {
      for (const s of steps) {
        const sent = await tmux.run(...sendKeysArgs(name, s));
        if (sent.exitCode !== 0) throw new Error(`send-keys: ${sent.stderr}`);
      }
    },
    events() {
      if (!existsSync(eventsFile)) return [];
      return readFileSync(eventsFile, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as FakeEvent);
    },
    cleanup() {
      removeTree(base);
    },
  };
}

/** The auto-accept loop: until ready, timeout or stuck. Returns the last step and what was sent. */
export async function autoAccept(
  fake: FakeClaude,
  timeoutMs = 30_000,
): Promise<{ step: AutoAcceptStep; sent: string[] }> {
  let state = startAutoAccept(Date.now());
  const sent: string[] = [];
  for (;;) {
    const r = nextAutoAcceptStep(await fake.pane(), state, Date.now(), { ...AUTO_ACCEPT_DEFAULTS, timeoutMs });
    state = r.state;
    if (r.step.kind === 'send') {
      sent.push(r.step.prompt);
      await fake.send(r.step.keys);
    } else if (r.step.kind !== 'wait') return { step: r.step, sent };
    await new Promise((res) => setTimeout(res, 100));
  }
}
