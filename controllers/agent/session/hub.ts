// What the agents' terminals show: panes read in one batch per runtime per tick, transcripts followed incrementally.
//
// The hub is to sessions what Views is to runtimes: reconcile reads the latest capture and the
// latest Claude status from it and never reads a terminal itself. Each reconcile states what its
// agent needs (`follow`); a tick reads all of it at once — one `capture` call per runtime for
// every pane wanted, one poll of each due transcript reader (kept per agent, so only appended
// bytes are read) — and wakes the agents whose pane or status changed.
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';
import type { ActivityFiles, ActivityFileWant } from '../../../src/claude/activity/files.js';
import { ActivityFollower } from '../../../src/claude/activity/follower.js';
import { DEFAULT_EVENTS_CAP_BYTES } from '../../../src/claude/activity/hook-script.js';
import type { ActivityState } from '../../../src/claude/activity/reduce.js';
import { paneContextPercent } from '../../../src/claude/pane-context.js';
import { TranscriptReader } from '../../../src/claude/transcript.js';
import type { ClaudeStatus } from '../../../src/claude/transcript-parse.js';
import type { TranscriptFiles } from '../../../src/claude/transcript-files.js';
import type { RuntimeSet } from '../../../src/runtime/runtime-set.js';
import type { SessionNeed } from './needs.js';
import type { PaneCapture } from './startup-plan.js';

export interface ClaudeReading extends ClaudeStatus {
  /** Epoch ms of the poll. */
  takenAt: number;
}

export interface HubStats {
  ticks: number;
  /** Runtime capture calls (for tmux: tmux client processes). */
  captureCalls: number;
  panesCaptured: number;
  /** The most panes one capture call read. */
  maxPanesPerCall: number;
  transcriptPolls: number;
  /** Passes over the activity files (each one read call per machine for all its agents). */
  activityPolls: number;
}

/** An incarnation's activity as its hooks tell it. */
export interface ActivityReading extends ActivityState {
  /** The events file reached its cap: later changes are not seen. */
  capped: boolean;
  /** Epoch ms of the read. */
  takenAt: number;
}

/** How often the hooks' files are looked at (a stat per file; a read only of what is new). */
export const ACTIVITY_TICK_MS = 1000;
/** The same, for this machine's files while their folder is watched (a change pokes a tick at
 * once): the poll is only the fallback for a change the watch missed. */
export const WATCHED_ACTIVITY_TICK_MS = 5000;

interface Watch {
  need: SessionNeed;
  /** The last capture handed to the agent's reconcile, and whether one was since `need.pane.after`. */
  deliveredText?: string;
  delivered: boolean;
  nextPollAt: number;
  reader?: { dirs: string; reader: TranscriptReader };
  follower?: ActivityFollower;
}

export interface HubOptions {
  runtimes: RuntimeSet;
  /** The transcript files of a runtime's machine; undefined where they cannot be read (the pane
   * is read instead). */
  transcriptFiles: (key: string) => TranscriptFiles | undefined;
  /** The activity files of a runtime's machine, read in one batch; undefined where they cannot be. */
  activityFiles?: (key: string) => ActivityFiles | undefined;
  now: () => number;
  log: Logger;
}

export class SessionHub {
  private readonly watches = new Map<string, Watch>();
  private readonly panes = new Map<string, PaneCapture>();
  private readonly readings = new Map<string, ClaudeReading>();
  private readonly activities = new Map<string, ActivityReading>();
  readonly stats: HubStats = {
    ticks: 0,
    captureCalls: 0,
    panesCaptured: 0,
    maxPanesPerCall: 0,
    transcriptPolls: 0,
    activityPolls: 0,
  };
  /** Told when the set of watches changed (the ticker reschedules). */
  onChange: () => void = () => undefined;
  /** This machine's activity folder is watched: its files are polled only as a fallback. */
  activityWatched = false;

  constructor(private readonly o: HubOptions) {}

  /** Declares what agent `name` needs now (undefined: nothing; its readings are dropped). */
  follow(name: string, need: SessionNeed | undefined): void {
    const w = this.watches.get(name);
    if (!need) {
      if (!w) return;
      this.watches.delete(name);
      this.forget(name);
      this.onChange();
      return;
    }
    // A new incarnation: nothing read of the one before speaks for it (its pane, its session).
    if (w && w.need.handle !== need.handle) {
      this.watches.delete(name);
      this.forget(name);
      this.watches.set(name, { need, delivered: false, nextPollAt: this.o.now() });
      this.onChange();
      return;
    }
    if (!w) {
      this.watches.set(name, { need, delivered: false, nextPollAt: this.o.now() });
      this.onChange();
      return;
    }
    if (need.pane && need.pane.after !== w.need.pane?.after) w.delivered = false;
    if (need.activity?.incarnation !== w.need.activity?.incarnation) {
      w.follower = undefined;
      this.activities.delete(name);
    }
    if (need.claude && w.need.claude && need.claude.everyMs < w.need.claude.everyMs)
      w.nextPollAt = Math.min(w.nextPollAt, this.o.now() + need.claude.everyMs);
    const changed =
      Boolean(need.pane) !== Boolean(w.need.pane) ||
      Boolean(need.claude) !== Boolean(w.need.claude) ||
      Boolean(need.activity) !== Boolean(w.need.activity);
    w.need = need;
    if (changed) this.onChange();
  }

  private forget(name: string): void {
    this.panes.delete(name);
    this.readings.delete(name);
    this.activities.delete(name);
  }

  /** The latest activity of the agent's current incarnation, from its hooks. */
  activity(name: string): ActivityReading | undefined {
    return this.activities.get(name);
  }

  /** The latest capture of the agent's visible pane. */
  pane(name: string): PaneCapture | undefined {
    return this.panes.get(name);
  }

  /** The latest Claude status of the agent. */
  reading(name: string): ClaudeReading | undefined {
    return this.readings.get(name);
  }

  get size(): number {
    return this.watches.size;
  }

  /** When the next tick is due: soon while a pane is watched, else at the next transcript poll. */
  nextTickAt(lastTickAt: number, tickMs: number): number | undefined {
    let at: number | undefined;
    for (const w of this.watches.values()) {
      if (w.need.pane) return lastTickAt + tickMs;
      if (w.need.claude) at = Math.min(at ?? Infinity, w.nextPollAt);
      if (w.need.activity) at = Math.min(at ?? Infinity, lastTickAt + Math.max(tickMs, this.activityEveryMs(w)));
    }
    return at;
  }

  /** Local tmux agents' hook files are on this machine (the watch sees them); a Slurm job's may be
   * written on another node of a shared file system, which inotify does not see. */
  private activityEveryMs(w: Watch): number {
    return this.activityWatched && w.need.key === 'tmux' ? WATCHED_ACTIVITY_TICK_MS : ACTIVITY_TICK_MS;
  }

  /** One round: due transcripts polled, every wanted pane captured (one call per runtime);
   * returns the agents to wake. */
  async tick(): Promise<Set<string>> {
    const now = this.o.now();
    this.stats.ticks++;
    const wanted = new Map<string, Set<string>>();
    const want = (key: string, name: string): void =>
      void (wanted.get(key) ?? wanted.set(key, new Set()).get(key)!).add(name);
    for (const [name, w] of this.watches) if (w.need.pane) want(w.need.key, name);

    const polled = new Map<string, ClaudeStatus>();
    await Promise.all(
      [...this.watches]
        .filter(([, w]) => w.need.claude && w.nextPollAt <= now)
        .map(async ([name, w]) => {
          w.nextPollAt = now + w.need.claude!.everyMs;
          const status = await this.poll(name, w);
          polled.set(name, status);
          // Without a transcript the pane's status bar is read, but not once hooks speak for the session.
          if (status.source === 'none' && this.activities.get(name)?.sessionStarted !== true) want(w.need.key, name);
        }),
    );

    const handles = new Map([...this.watches].map(([name, w]) => [name, w.need.handle]));
    const captured = new Map<string, PaneCapture>();
    const wake = new Set<string>();
    await Promise.all([
      ...[...wanted].map(([key, names]) => this.capture(key, [...names], captured)),
      this.pollActivity(wake, now),
    ]);

    for (const [name, cap] of captured) {
      const w = this.watches.get(name);
      // Read for an incarnation that has since been replaced: not this one's screen.
      if (!w || w.need.handle !== handles.get(name)) continue;
      this.panes.set(name, cap);
      const p = w.need.pane;
      if (p && cap.takenAt > p.after && (!w.delivered || w.deliveredText !== cap.text)) {
        w.delivered = true;
        w.deliveredText = cap.text;
        wake.add(name);
      }
    }
    for (const [name, status] of polled) {
      if (this.watches.get(name)?.need.handle !== handles.get(name)) continue;
      let reading: ClaudeReading = { ...status, takenAt: now };
      // Only without a transcript: one that has no figure right now (a new session, a compaction
      // not followed by a turn yet) means "unknown", and the pane may still show the old figure.
      const fromPane = status.source === 'none' ? paneContextPercent(captured.get(name)?.text ?? '') : undefined;
      if (fromPane !== undefined) reading = { ...reading, contextPercent: fromPane, source: 'pane' };
      if (differs(this.readings.get(name), reading)) {
        this.readings.set(name, reading);
        wake.add(name);
      }
    }
    return wake;
  }

  /** Every followed incarnation's new hook lines: one batched read per machine. */
  private async pollActivity(wake: Set<string>, now: number): Promise<void> {
    const byKey = new Map<string, [string, Watch][]>();
    for (const [name, w] of this.watches) {
      const a = w.need.activity;
      if (!a || !this.o.activityFiles?.(w.need.key)) continue;
      w.follower ??= new ActivityFollower({ ...a, capBytes: DEFAULT_EVENTS_CAP_BYTES });
      (byKey.get(w.need.key) ?? byKey.set(w.need.key, []).get(w.need.key)!).push([name, w]);
    }
    await Promise.all(
      [...byKey].map(async ([key, list]) => {
        const wants: ActivityFileWant[] = list.flatMap(([, w]) => w.follower!.wants());
        let got;
        try {
          got = await this.o.activityFiles!(key)!.readMany(wants);
        } catch (err) {
          this.o.log.debug({ runtime: key, error: (err as Error).message }, 'cannot read activity files');
          return;
        }
        this.stats.activityPolls++;
        for (const [name, w] of list) {
          const f = w.follower!;
          if (this.watches.get(name) !== w || w.follower !== f) continue;
          const was = this.activities.get(name);
          f.take(got);
          if (!was || was.capped !== f.capped || differsActivity(was, f.state)) {
            this.activities.set(name, { ...f.state, capped: f.capped, takenAt: now });
            wake.add(name);
          }
        }
      }),
    );
  }

  private async poll(name: string, w: Watch): Promise<ClaudeStatus> {
    const c = w.need.claude!;
    const files = this.o.transcriptFiles(w.need.key);
    if (!files) return { source: 'none', ...(c.model ? { model: c.model } : {}) };
    const dirs = c.transcriptPath ? dirname(c.transcriptPath) : c.dirs.join('\n');
    const only = c.transcriptPath ? basename(c.transcriptPath) : undefined;
    if (w.reader?.dirs !== `${dirs}|${only ?? ''}`)
      w.reader = {
        dirs: `${dirs}|${only ?? ''}`,
        reader: new TranscriptReader(files, c.transcriptPath ? [dirs] : c.dirs, only),
      };
    this.stats.transcriptPolls++;
    try {
      return await w.reader.reader.poll(c.model);
    } catch (err) {
      this.o.log.debug({ agent: name, error: (err as Error).message }, 'cannot read the transcript');
      return { source: 'none', ...(c.model ? { model: c.model } : {}) };
    }
  }

  private async capture(key: string, names: string[], into: Map<string, PaneCapture>): Promise<void> {
    if (!this.o.runtimes.has(key)) return;
    const rt = this.o.runtimes.get(key);
    if (!rt.capture) return;
    const takenAt = this.o.now();
    try {
      const screens = await rt.capture(names);
      this.stats.captureCalls++;
      this.stats.panesCaptured += screens.size;
      this.stats.maxPanesPerCall = Math.max(this.stats.maxPanesPerCall, screens.size);
      for (const [name, text] of screens) into.set(name, { text, takenAt });
    } catch (err) {
      this.o.log.debug({ runtime: key, agents: names.length, error: (err as Error).message }, 'cannot read panes');
    }
  }
}

function differsActivity(a: ActivityState, b: ActivityState): boolean {
  return (Object.keys(b) as (keyof ActivityState)[]).some((k) => k !== 'statusAt' && a[k] !== b[k]);
}

function differs(a: ClaudeReading | undefined, b: ClaudeReading): boolean {
  return (
    !a ||
    a.model !== b.model ||
    a.sessionId !== b.sessionId ||
    a.contextPercent !== b.contextPercent ||
    a.lastActivity !== b.lastActivity ||
    a.source !== b.source
  );
}
