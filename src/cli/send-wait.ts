// send's wait and confirmation: until each agent may be typed into (Idle with --when-idle), then until Claude Code takes the prompt.
//
// Each agent with agentctl's hook layer (DESIGN §10.2) is followed through its events file, read
// here: the same files the controller reads, so this works whether or not a controller runs. One
// pass over every agent's files per poll; agents that became typeable in a poll are typed in one
// batch. An agent without the layer (no `claude:`, a Host, a stand-in that runs no hooks) is typed
// into as before, unconfirmed.
import { localActivityFiles } from '../claude/activity/files.js';
import { ActivityFollower } from '../claude/activity/follower.js';
import { DEFAULT_EVENTS_CAP_BYTES } from '../claude/activity/hook-script.js';
import { promptSubmitted, typeVerdict } from '../claude/activity/submit.js';
import type { AgentRecord } from '../registry/record.js';

/** How often the events files are read while waiting. */
export const POLL_MS = 200;
/** How long a plain send waits for Claude Code to take the prompt (a queued prompt is taken only
 * when the running turn ends; --timeout gives it longer). */
export const CONFIRM_MS = 15_000;

/** The follower of the agent's current incarnation, when it has agentctl's hook layer here. */
export function followerOf(rec: AgentRecord | undefined): ActivityFollower | undefined {
  const h = rec?.claude?.hooks;
  if (!rec || !h || rec.host) return undefined;
  if (h.handle !== null && h.handle !== rec.handle) return undefined;
  return new ActivityFollower({
    incarnation: h.incarnation,
    events: h.events,
    status: h.status,
    capBytes: DEFAULT_EVENTS_CAP_BYTES,
  });
}

export async function pollAll(followers: Iterable<ActivityFollower>): Promise<void> {
  const fs = [...followers];
  const got = await localActivityFiles.readMany(fs.flatMap((f) => f.wants()));
  for (const f of fs) f.take(got);
}

export interface WaitTarget {
  name: string;
  follower: ActivityFollower;
}

export interface WaitOptions {
  whenIdle: boolean;
  /** Text typed (confirmed by UserPromptSubmit), or undefined for keys (not confirmed). */
  text: string | undefined;
  /** Epoch ms when waiting to type gives up. */
  deadline: number;
  /** How long, after typing, Claude Code has to take the prompt. */
  confirmMs: number;
  /** Types the given agents (one batch); resolves with those that failed and why. */
  type(names: string[]): Promise<Map<string, string>>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export type Outcome = { ok: true; confirmed: boolean; note?: string } | { ok: false; why: string; typed: boolean };

interface Tracking {
  t: WaitTarget;
  typedAt?: number;
  /** It was busy (Working) when typed: the prompt is queued until its turn ends. */
  queued?: boolean;
  done?: Outcome;
}

/**
 * Waits until each target may be typed into, types it, and, for text, waits until Claude Code
 * submits it. A target's first state was read by the caller (it refused whatever could not wait).
 */
export async function typeWhenReady(targets: WaitTarget[], o: WaitOptions): Promise<Map<string, Outcome>> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const all: Tracking[] = targets.map((t) => ({ t }));
  for (;;) {
    const ready: Tracking[] = [];
    for (const x of all) {
      if (x.done) continue;
      const s = x.t.follower.state;
      if (x.typedAt === undefined) {
        const v = typeVerdict(s, o.whenIdle);
        if (v.kind === 'refuse') x.done = { ok: false, why: `${v.why}; nothing was typed`, typed: false };
        else if (v.kind === 'type') ready.push(x);
        else if (now() > o.deadline) x.done = { ok: false, why: `${v.why} still; nothing was typed`, typed: false };
        continue;
      }
      if (o.text === undefined) {
        x.done = { ok: true, confirmed: false };
      } else if (promptSubmitted(x.t.follower.lastEvents, x.typedAt, o.text)) {
        x.done = { ok: true, confirmed: true };
      } else if (s.activity === 'WaitingForInput' || s.activity === 'Exited') {
        const what = s.activity === 'Exited' ? 'its session ended' : `a dialog showed (${s.waitingFor ?? 'input'})`;
        x.done = { ok: false, why: `typed, but ${what} before Claude Code took the prompt`, typed: true };
      } else if (now() > x.typedAt + o.confirmMs) {
        const why = x.queued
          ? 'it was Working: the prompt waits in its input box until the turn ends'
          : 'it may have been busy or shown a dialog';
        x.done = {
          ok: false,
          why: `typed, but Claude Code did not take the prompt in time (${why})`,
          typed: true,
        };
      }
    }
    if (ready.length > 0) {
      const at = now();
      for (const x of ready) {
        x.typedAt = at;
        x.queued = x.t.follower.state.activity !== 'Idle';
      }
      const failed = await o.type(ready.map((x) => x.t.name));
      for (const x of ready) {
        const e = failed.get(x.t.name);
        if (e !== undefined) x.done = { ok: false, why: `cannot type: ${e}`, typed: false };
      }
    }
    if (all.every((x) => x.done)) break;
    await sleep(POLL_MS);
    await pollAll(all.filter((x) => !x.done).map((x) => x.t.follower));
  }
  return new Map(all.map((x) => [x.t.name, x.done!]));
}
