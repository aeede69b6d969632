// What of an agent's terminal session the controller must keep reading, from its record and spec (pure).
import { transcriptDirs } from '../../../src/claude/transcript.js';
import type { AgentRecord } from '../../../src/registry/record.js';
import type { DesiredAgent } from '../../../src/spec/load.js';
import type { Claude } from '../../../src/spec/schema.js';
import { expandHome } from '../../../src/util/paths.js';
import { runtimeKeyOf } from '../placement.js';

export interface SessionNeed {
  /** The runtime the agent lives in (captures are batched per runtime). */
  key: string;
  /** The incarnation: what was read of an earlier one (its pane, its session) is dropped. */
  handle: string;
  /** Capture its pane on every tick; wake it on the first capture after `after`, then on changes. */
  pane?: { after: number };
  /** Poll its transcript every `everyMs` (the pane's indicator when there is no transcript). */
  claude?: { dirs: string[]; model?: string; everyMs: number; transcriptPath?: string };
  /** Follow the incarnation's hook events and status line (agentctl's settings layer). */
  activity?: { incarnation: string; events: string; status: string };
}

/** How often a Claude agent's status is read when its spec sets no claude.context. */
export const CLAUDE_STATUS_EVERY_MS = 30_000;

/** Start-up of the current incarnation still under way. */
export function startupPending(rec: Pick<AgentRecord, 'startup' | 'handle'>): boolean {
  const s = rec.startup;
  return s !== null && s.handle === rec.handle && s.stage !== 'done';
}

/** The settings layer of the running incarnation, if it was started with one. */
export function hooksOf(rec: Pick<AgentRecord, 'claude' | 'handle'>): NonNullable<AgentRecord['claude']>['hooks'] {
  const h = rec.claude?.hooks;
  return h && h.handle === rec.handle ? h : null;
}

/** Start-up waits on the pane (prompts or the ready pattern), not only on the clock. */
function readsPane(rec: AgentRecord): boolean {
  return startupPending(rec) && (rec.startup!.stage === 'accepting' || rec.startup!.stage === 'waiting');
}

export function sessionNeed(
  rec: AgentRecord | undefined,
  desired: DesiredAgent | undefined,
  home: string,
): SessionNeed | undefined {
  if (!rec || rec.handle === null || rec.phase !== 'Running') return undefined;
  const key = runtimeKeyOf(desired, rec);
  const claude = desired?.spec.claude ?? (rec.appliedSpec?.claude as Claude | undefined);
  const need: SessionNeed = { key, handle: rec.handle };
  if (readsPane(rec)) need.pane = { after: rec.startup!.lastKeysAt ?? 0 };
  if (claude) {
    const workdir = expandHome(
      desired?.spec.workdir ?? (rec.appliedSpec?.workdir as string | undefined) ?? `~/agents/${rec.name}`,
      home,
    );
    // With hooks, only the transcript they name is this incarnation's: until SessionStart names
    // it, the newest file in the folder is the session before (a roll's old 95 %), not this one.
    const h = hooksOf(rec);
    const guess = !h || rec.claude?.activity === 'Unknown';
    need.claude = {
      dirs: guess ? transcriptDirs(workdir, home) : [],
      ...(claude.model ? { model: claude.model } : {}),
      everyMs: claude.context ? claude.context.checkIntervalSeconds * 1000 : CLAUDE_STATUS_EVERY_MS,
      // The session the hooks named: its transcript, not whichever is newest in the folder.
      ...(rec.claude?.transcriptPath && h ? { transcriptPath: rec.claude.transcriptPath } : {}),
    };
    if (h) need.activity = { incarnation: h.incarnation, events: h.events, status: h.status };
  }
  return need.pane || need.claude ? need : undefined;
}
