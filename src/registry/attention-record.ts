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

export const AttentionRecord = z.object({
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
