// What agentctl remembers of an agent's attention notices and spending, so that a controller restart repeats none.
import { z } from 'zod';

export const NoticeMemory = z.object({
  /** activitySince of the wait last announced (onWaiting, WaitingForInput event). */
  waitNotified: z.number().nullable().default(null),
  /** activitySince of the idle period last announced. */
  idleNotified: z.number().nullable().default(null),
  lastWaitAt: z.number().nullable().default(null),
  lastIdleAt: z.number().nullable().default(null),
  /** A turn (Working or a wait) was seen since the last idle notice: the next Idle ends it. */
  turnSeen: z.boolean().default(false),
});
export type NoticeMemory = z.infer<typeof NoticeMemory>;

/** A day's spending, kept across restarts: Claude Code's cost figure starts at 0 in every new
 * session, so the day's spend is what closed sessions spent today plus the current one's part. */
export const SpendRecord = z.object({
  /** The controller's local day, YYYY-MM-DD. */
  day: z.string(),
  /** Spent today by sessions that have ended (restarts, /clear). */
  closedUsd: z.number().nonnegative(),
  /** The current session: its id (incarnation or session id), its last cost figure, and its
   * figure when the day began (a session that runs over midnight). */
  session: z.string().nullable(),
  lastCostUsd: z.number().nonnegative(),
  dayStartCostUsd: z.number().nonnegative(),
  /** Everything seen, all days (the metric's counter). */
  totalUsd: z.number().nonnegative(),
  /** Suspended by the budget on this day, at this spec hash; lifted the next day or on a spec change. */
  suspendedDay: z.string().nullable().default(null),
  suspendedHash: z.string().nullable().default(null),
  /** The day the budget's Notify hooks fired. */
  notifiedDay: z.string().nullable().default(null),
});
export type SpendRecord = z.infer<typeof SpendRecord>;

export const AttentionRecord = z.object({
  spend: SpendRecord.nullable().default(null),
  notices: NoticeMemory.default({
    waitNotified: null,
    idleNotified: null,
    lastWaitAt: null,
    lastIdleAt: null,
    turnSeen: false,
  }),
});
export type AttentionRecord = z.infer<typeof AttentionRecord>;

export const EMPTY_NOTICES: NoticeMemory = {
  waitNotified: null,
  idleNotified: null,
  lastWaitAt: null,
  lastIdleAt: null,
  turnSeen: false,
};
