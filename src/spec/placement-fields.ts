// Spec fields of placement across Hosts (DESIGN §10.4): the priority list, failover and handover (zod).
import { z } from 'zod';
import { isTimerDuration } from '../util/duration.js';
import { RelativeFilePath } from './schema-fields.js';

const DURATION = /^\d+(\.\d+)?(ms|s|m|h|d)$/;

export const DurationText = z
  .string()
  .regex(DURATION, 'a duration like 30s, 2m or 1h')
  .refine((v) => !DURATION.test(v) || isTimerDuration(v), 'at most about 24 days: a longer delay cannot be timed');

/** `hosts: [a, b, …]`: the first that is reachable, not cordoned and passes preflight is used. */
export const HostList = z
  .array(z.string().min(1, 'a Host name must not be empty'))
  .min(1, 'hosts must name at least one Host (or use host: for one)')
  .superRefine((list, ctx) => {
    list.forEach((h, i) => {
      if (list.indexOf(h) !== i)
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `Host "${h}" is listed twice (first at hosts[${list.indexOf(h)}])`,
        });
    });
  });

export const Failover = z.strictObject({
  /** How long the current Host must be unreachable (and its lease expired) before the next one takes over. */
  after: DurationText.default('2m'),
  /** Auto: back to a higher Host as soon as it is usable again; Manual: stays until moved. */
  failback: z.enum(['Manual', 'Auto']).default('Manual'),
});
export type Failover = z.infer<typeof Failover>;

export const Handover = z.strictObject({
  /** Workdir paths copied to the new Host on a move (relative, inside the workdir). */
  paths: z.array(RelativeFilePath).default([]),
});
export type Handover = z.infer<typeof Handover>;

/** Placement fields checked together (inside the spec's own superRefine). */
export function checkPlacementFields(
  s: { host?: string | undefined; hosts?: string[] | undefined; failover?: Failover | undefined },
  addIssue: (path: (string | number)[], message: string) => void,
): void {
  if (s.host !== undefined && s.hosts !== undefined)
    addIssue(['hosts'], 'use either host (one Host) or hosts (a priority list), not both');
  if (s.failover !== undefined && s.hosts === undefined)
    addIssue(['failover'], 'failover needs hosts: a priority list of at least two Hosts');
}
