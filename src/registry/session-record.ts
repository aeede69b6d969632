// What the registry keeps of an agent's terminal session: its start-up progress and its Claude status (zod).
import { z } from 'zod';

/**
 * Start-up of one incarnation (DESIGN §9.2): prompts answered, ready pattern seen, commands typed.
 * Keyed by the incarnation's handle, so a controller that restarts carries on where the last one
 * was and never types a command twice; a new incarnation starts afresh.
 */
export const StartupRecord = z.object({
  handle: z.string(),
  /** Epoch ms of the incarnation's start: the timeout counts from it. */
  startedAt: z.number(),
  /** accepting: answering Claude Code's prompts; waiting: for readyPattern; commands: typing them. */
  stage: z.enum(['accepting', 'waiting', 'commands', 'done']),
  /** How many times each start-up prompt was answered. */
  answered: z.record(z.string(), z.number().int().nonnegative()).default({}),
  /** The last keys sent to a prompt; `move`: they only moved a menu's cursor to the choice. */
  lastAnswer: z.object({ prompt: z.string(), at: z.number(), move: z.boolean().optional() }).nullable().default(null),
  /** When the session was found ready (or the timeout passed with onTimeout: Proceed). */
  readyAt: z.number().nullable().default(null),
  /** Startup commands typed so far (each marked before it is typed: at most once). */
  commandsSent: z.number().int().nonnegative().default(0),
  /** When keys were last sent: a pane captured before it says nothing about their effect. */
  lastKeysAt: z.number().nullable().default(null),
  outcome: z.enum(['Ready', 'Proceeded', 'Failed']).nullable().default(null),
});
export type StartupRecord = z.infer<typeof StartupRecord>;

/** A Claude agent's session as status shows it, and its context policy (kept across incarnations,
 * so a restart because the context was full does not fire again on the same reading). */
export const ClaudeRecord = z.object({
  model: z.string().optional(),
  sessionId: z.string().optional(),
  contextPercent: z.number().optional(),
  /** ISO time of the session's last transcript line. */
  lastActivity: z.string().optional(),
  source: z.enum(['transcript', 'pane', 'hooks', 'none']).default('none'),
  /** Epoch ms of the reading last folded in. */
  checkedAt: z.number().nullable().default(null),
  /** claude.context: true until it fired; true again once the use fell well below the trigger. */
  armed: z.boolean().default(true),
  /** A roll because the context was full is under way: onRestart runs after the new start. */
  restartPending: z.string().nullable().default(null),
  compactions: z.number().int().nonnegative().default(0),
  /** agentctl's settings layer of the current incarnation (DESIGN §10.2); null: none (older
   * record, or started without it). */
  hooks: z
    .object({ incarnation: z.string(), handle: z.string().nullable(), events: z.string(), status: z.string() })
    .nullable()
    .default(null),
  /** What the session is doing, from its hooks; Unknown without them. */
  activity: z.enum(['Starting', 'Working', 'Idle', 'WaitingForInput', 'Exited', 'Unknown']).default('Unknown'),
  waitingFor: z.enum(['permission', 'question', 'login', 'dialog']).nullable().default(null),
  /** What Claude Code said when it began to wait (its notification). */
  waitingMessage: z.string().nullable().default(null),
  /** Epoch ms of the change to the current activity. */
  activitySince: z.number().nullable().default(null),
  /** This incarnation's SessionStart was seen (Ready needs it). */
  sessionStarted: z.boolean().default(false),
  transcriptPath: z.string().nullable().default(null),
  costUsd: z.number().nullable().default(null),
});
export type ClaudeRecord = z.infer<typeof ClaudeRecord>;
