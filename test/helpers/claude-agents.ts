// Specs of stand-in claude agents for controller tests, and what to read back: its events, the record, the pane.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach } from 'vitest';
import { AgentRecord } from '../../src/registry/record.js';
import { waitFor, type Sandbox } from './cli.js';
import { FAKE_CLAUDE, type FakeEvent } from './fake-claude.js';
import { useTmuxSandbox, type TmuxSandbox } from './fixture.js';

export interface ClaudeFixture extends TmuxSandbox {
  /** $HOME of the commands run (and so of the agents): transcripts land under it. */
  home: string;
}

/** A tmux sandbox whose commands run with their own $HOME. */
export function useClaudeSandbox(teardown?: () => Promise<void> | void): ClaudeFixture {
  // The stand-in writes its last event as it exits: wait for every pane's process to be gone
  // before the sandbox folder is removed under it.
  const fx: ClaudeFixture = useTmuxSandbox(async () => {
    await teardown?.();
    const pids = [...(await fx.tmux.sessions()).values()].map((s) => s.pid);
    await fx.tmux.kill();
    await waitFor(async () => pids.every((pid) => !alive(pid)), 10_000).catch(() => undefined);
  }) as ClaudeFixture;
  beforeEach(() => {
    fx.home = join(fx.sb.dir, 'home');
    mkdirSync(fx.home, { recursive: true });
    fx.sb.env.HOME = fx.home;
  });
  return fx;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface FakeSpec {
  /** Extra claude preset fields (autoAccept, flags, context...). */
  claude?: Record<string, unknown>;
  /** Run the stand-in as a plain `command` (with these arguments) instead of the claude preset. */
  command?: string[];
  env?: Record<string, string>;
  startup?: Record<string, unknown>;
  spec?: Record<string, unknown>;
}

export const eventsFile = (sb: Sandbox, name: string): string => join(sb.dir, `events-${name}.jsonl`);
export const workdirOf = (sb: Sandbox, name: string): string => join(sb.dir, 'work', name);

/** An agent spec running the stand-in claude; its events go to eventsFile(sb, name). */
export function fakeAgentYaml(sb: Sandbox, name: string, o: FakeSpec = {}): string {
  const spec: Record<string, unknown> = {
    ...(o.command ? { command: [FAKE_CLAUDE, ...o.command] } : { claude: { binary: FAKE_CLAUDE, ...o.claude } }),
    workdir: workdirOf(sb, name),
    env: { FAKE_CLAUDE_EVENTS: eventsFile(sb, name), ...o.env },
    backoff: { initialSeconds: 1, maxSeconds: 2 },
    ...(o.startup ? { startup: o.startup } : {}),
    ...o.spec,
  };
  return `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: ${name}\nspec: ${JSON.stringify(spec)}\n`;
}

/** What the stand-in recorded (prompt, answer, refused, dropped, ready, line, compact, exit...). */
export function fakeEvents(sb: Sandbox, name: string): FakeEvent[] {
  const f = eventsFile(sb, name);
  if (!existsSync(f)) return [];
  return readFileSync(f, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as FakeEvent);
}

export const linesTyped = (sb: Sandbox, name: string): string[] =>
  fakeEvents(sb, name)
    .filter((e) => e.event === 'line')
    .map((e) => String(e.text));

/** The agent's registry record as the controller last wrote it. */
export function record(sb: Sandbox, name: string): AgentRecord {
  return AgentRecord.parse(JSON.parse(readFileSync(join(sb.state, 'registry', `${name}.json`), 'utf8')));
}

export const eventReasons = (sb: Sandbox, name: string): string[] => record(sb, name).events.map((e) => e.reason);
