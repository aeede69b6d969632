// Maps the older tool's runtime and multiplexer: which agentctl runtime, and whether it is Claude Code.
//
// The older tool's runtimes were ways to run Claude Code (claude-code in a terminal multiplexer,
// tui, apptainer and docker containers, the headless claude-session / claude-agent-sdk runners,
// and slurm jobs); `spec.multiplexer` chose screen or tmux for the terminal. agentctl runs every
// terminal agent in tmux, or as a Slurm job.
import type { RuntimeName } from '../spec/schema.js';
import type { Notes } from './notes.js';
import { child, isMap } from './values.js';

export interface RuntimeChoice {
  /** Only set when it is not agentctl's default (tmux). */
  runtime?: RuntimeName;
  /** The older runtime ran a program other than Claude Code, which has no agentctl preset. */
  otherProgram?: string;
  /** What changes with the move to agentctl, written above the command or the claude preset. */
  note?: string;
  /** The older runtime was the headless SDK runner (its startup_commands were the prompt). */
  sdk?: boolean;
}

const CLAUDE_RUNTIMES: Record<string, string | undefined> = {
  'claude-code': undefined,
  tui: undefined,
  apptainer: 'ran the agent in an Apptainer container: agentctl runs it on the host, in tmux',
  docker: 'ran the agent in a Docker container: agentctl runs it on the host, in tmux',
  'claude-session': 'ran the headless Claude Agent SDK: agentctl runs the interactive Claude Code in tmux',
  'claude-agent-sdk': 'ran the headless Claude Agent SDK: agentctl runs the interactive Claude Code in tmux',
};
const SDK_RUNTIMES = new Set(['claude-session', 'claude-agent-sdk']);

const OTHER_PROGRAMS = new Set(['cursor', 'aider']);

export function mapRuntime(old: unknown, notes: Notes): RuntimeChoice {
  if (old === undefined || old === null) return {};
  const r = typeof old === 'string' ? old.trim().toLowerCase() : '';
  if (r === 'slurm') return { runtime: 'slurm' };
  if (r in CLAUDE_RUNTIMES) {
    const why = CLAUDE_RUNTIMES[r];
    return { ...(why ? { note: `runtime ${r} ${why}` } : {}), ...(SDK_RUNTIMES.has(r) ? { sdk: true } : {}) };
  }
  if (OTHER_PROGRAMS.has(r)) return { otherProgram: r };
  if (r === 'screen' || r === 'tmux') {
    notes.notMapped(
      'spec.runtime',
      old,
      'not a runtime of the older tool: spec.multiplexer chose screen or tmux; agentctl runs terminal agents in tmux',
    );
    return {};
  }
  notes.notMapped(
    'spec.runtime',
    old,
    'the older runtimes are claude-code, tui, apptainer, docker, claude-session, claude-agent-sdk, slurm',
  );
  return {};
}

/** agentctl runs terminal agents in tmux; a screen session name has nowhere to go. */
export function mapMultiplexer(old: unknown, notes: Notes): void {
  if (old === undefined || old === null || old === 'tmux') return;
  if (old === 'screen')
    notes.add('multiplexer was screen: agentctl runs terminal agents in tmux (attach with `agentctl attach NAME`)');
  else notes.notMapped('spec.multiplexer', old, 'screen or tmux');
}

/** The session name is the agent name now, so a custom screen name has nowhere to go. */
export function noteScreen(old: unknown, agentName: string, notes: Notes): void {
  if (!isMap(old)) {
    notes.notMapped('spec.screen', old, 'not a map');
    return;
  }
  for (const [key, value] of Object.entries(old)) {
    if (key === 'name')
      notes.add(
        `spec.screen.name was ${JSON.stringify(value)}: the tmux session is named after the agent (${agentName})`,
      );
    else notes.notMapped(child('spec.screen', key), value);
  }
}
