// Maps what the older tool typed into an agent at start (startup_commands, startup, v3's
// startup_prompts) to agentctl's spec.startup.
//
// v1/v2 `startup_commands` ({command, delay}) were typed into the agent's terminal once it was
// up; `startup: {ready_patterns, ready_timeout_seconds, on_timeout, commands}` gated them behind
// a pattern on the pane, with on_timeout capture_and_proceed by default. In v3 startup_commands
// became shell commands run before Claude Code started (they map to preStart hooks) and
// startup_prompts the text typed into it (for the headless SDK runner, startup_commands stayed
// the prompt).
import type { OldApiVersion } from './old-format.js';
import type { Notes } from './notes.js';
import { asText, child, isMap, seconds, type OldMap } from './values.js';

export interface NewStartup {
  readyPattern?: string;
  timeoutSeconds?: number;
  onTimeout?: 'Fail' | 'Proceed';
  commands?: { text: string; delaySeconds?: number }[];
}

export interface StartupMapping {
  startup?: NewStartup;
  /** v3 startup_commands: shell commands run before the agent starts. */
  preStart?: string[];
}

const ON_TIMEOUT: Record<string, 'Fail' | 'Proceed'> = { capture_and_fail: 'Fail', capture_and_proceed: 'Proceed' };
const NOT_NEEDED = new Set(['ready_idle_ticks', 'ready_poll_interval_seconds']);

/** `sdk`: the older runtime was the headless SDK runner, whose startup_commands were the prompt. */
export function mapStartup(s: OldMap, apiVersion: OldApiVersion, sdk: boolean, notes: Notes): StartupMapping {
  const out: StartupMapping = {};
  const startup: NewStartup = {};
  const v3 = apiVersion === 'scitex-agent-container/v3' && !sdk;
  if (s.startup !== undefined) mapGate(s.startup, startup, notes);
  if (s.startup_commands !== undefined) {
    const commands = commandList(s.startup_commands, 'spec.startup_commands', notes);
    if (v3) {
      out.preStart = commands.map((c) => c.text);
      if (commands.length > 0)
        notes.add('v3 startup_commands ran as shell commands before Claude Code started: they are preStart hooks now', [
          'spec',
          'hooks',
          'preStart',
        ]);
    } else if (startup.commands === undefined && commands.length > 0) startup.commands = commands;
    else if (commands.length > 0)
      notes.notMapped('spec.startup_commands', s.startup_commands, 'spec.startup.commands wins');
  }
  if (s.startup_prompts !== undefined) {
    const prompts = commandList(s.startup_prompts, 'spec.startup_prompts', notes);
    if (prompts.length > 0) startup.commands = [...(startup.commands ?? []), ...prompts];
  }
  if (Object.keys(startup).length > 0) out.startup = startup;
  return out;
}

function mapGate(old: unknown, out: NewStartup, notes: Notes): void {
  if (!isMap(old)) {
    notes.notMapped('spec.startup', old, 'not a map');
    return;
  }
  for (const [key, value] of Object.entries(old)) {
    const path = child('spec.startup', key);
    if (key === 'ready_patterns') {
      const pattern = readyPattern(value);
      if (pattern === undefined) notes.notMapped(path, value, 'not a list of regular expressions agentctl can read');
      else if (pattern !== '') out.readyPattern = pattern;
    } else if (key === 'ready_timeout_seconds') {
      const t = seconds(value);
      if (t === undefined) notes.notMapped(path, value, 'not a duration');
      else out.timeoutSeconds = t;
    } else if (key === 'on_timeout') {
      const choice = typeof value === 'string' ? ON_TIMEOUT[value] : undefined;
      if (choice) out.onTimeout = choice;
      else notes.notMapped(path, value, 'capture_and_fail or capture_and_proceed');
    } else if (key === 'commands') {
      const commands = commandList(value, path, notes);
      if (commands.length > 0) out.commands = commands;
    } else if (NOT_NEEDED.has(key))
      notes.notMapped(path, value, 'agentctl matches the pattern on every read of the pane');
    else notes.notMapped(path, value);
  }
  // The older default: go on (typing the commands anyway) after a timeout.
  if (out.readyPattern !== undefined && out.onTimeout === undefined) out.onTimeout = 'Proceed';
}

/** Patterns joined into one alternative; undefined when one is not a JavaScript regex. */
function readyPattern(v: unknown): string | undefined {
  const items = Array.isArray(v) ? v : [v];
  const patterns = items.map((i) => (isMap(i) ? asText(i.regex) : asText(i)));
  if (patterns.some((p) => p === undefined || p === '')) return undefined;
  const list = patterns as string[];
  const joined = list.length === 1 ? list[0]! : list.map((p) => `(?:${p})`).join('|');
  try {
    new RegExp(joined);
    return joined;
  } catch {
    return undefined;
  }
}

/** `[{command, delay}]` or plain strings, in order; entries without text are noted. */
function commandList(v: unknown, path: string, notes: Notes): { text: string; delaySeconds?: number }[] {
  if (!Array.isArray(v)) {
    notes.notMapped(path, v, 'not a list');
    return [];
  }
  return v.flatMap((item, i) => {
    const text = isMap(item) ? asText(item.command) : asText(item);
    if (text === undefined || text === '') {
      notes.notMapped(child(path, i), item, 'no command text');
      return [];
    }
    const delay = isMap(item) && item.delay !== undefined ? seconds(item.delay) : undefined;
    if (isMap(item) && item.delay !== undefined && item.delay !== 0 && delay === undefined)
      notes.notMapped(child(child(path, i), 'delay'), item.delay, 'not a duration');
    return [delay === undefined ? { text } : { text, delaySeconds: delay }];
  });
}
