// Whether Claude Code took a prompt agentctl typed, and whether an agent can be typed into now, from its hook events (pure).
//
// Claude Code runs the UserPromptSubmit hook with the prompt as it submits it (a queued prompt
// typed while a turn runs is submitted, and its hook runs, only when that turn ends). The events
// file stamps lines in whole seconds, so "after T" is the second of T or later; the text is what
// tells one prompt from another.
import type { ActivityEvent } from './events-parse.js';
import type { ActivityState } from './reduce.js';

/** Claude Code trims what is typed before it submits it; spaces inside stay. */
const norm = (s: string): string => s.trim();

/** True when one of `events` is a UserPromptSubmit at `afterMs` or later carrying `text`. A line
 * the hook cut short (a huge prompt) has lost its prompt: it counts when it names no prompt. */
export function promptSubmitted(events: readonly ActivityEvent[], afterMs: number, text: string): boolean {
  const from = Math.floor(afterMs / 1000) * 1000;
  return events.some((e) => {
    if (e.kind !== 'hook' || e.hook.hook_event_name !== 'UserPromptSubmit' || e.at < from) return false;
    const prompt = e.hook.prompt;
    return typeof prompt !== 'string' || norm(prompt) === norm(text);
  });
}

export type TypeVerdict =
  /** Type now. */
  | { kind: 'type' }
  /** Not yet: wait (with --when-idle) or type anyway and wait for the turn to end. */
  | { kind: 'busy'; why: string }
  /** Never: typing would answer a dialog or go nowhere. */
  | { kind: 'refuse'; why: string };

/** What `send` does with an agent in this state. `whenIdle`: only an Idle session is typed into,
 * anything else but an ended session is waited for; else a Working or Starting one is typed into
 * too (Claude Code queues the prompt), and one that waits for a person is refused: the text
 * would answer its dialog. */
export function typeVerdict(
  s: Pick<ActivityState, 'activity' | 'waitingFor' | 'message'>,
  whenIdle: boolean,
): TypeVerdict {
  switch (s.activity) {
    case 'Idle':
      return { kind: 'type' };
    case 'WaitingForInput': {
      const what = s.waitingFor ?? 'input';
      const msg = s.message ? ` (${s.message})` : '';
      // --when-idle waits through it: the person answers, the turn ends, then it types.
      if (whenIdle) return { kind: 'busy', why: `it waits for ${what}${msg}` };
      const how = s.waitingFor === 'permission' ? '; answer it with agentctl approve or deny' : '';
      return { kind: 'refuse', why: `it waits for ${what}${msg}: typing would answer its dialog${how}` };
    }
    case 'Exited':
      return { kind: 'refuse', why: 'its Claude Code session has ended' };
    case 'Working':
    case 'Starting':
      return whenIdle ? { kind: 'busy', why: `it is ${s.activity}` } : { kind: 'type' };
    default:
      return whenIdle
        ? {
            kind: 'refuse',
            why: 'its activity is Unknown (no hooks heard from its Claude Code): --when-idle cannot tell when it is idle',
          }
        : { kind: 'type' };
  }
}
