// Appends an event to an agent's record (the last 50 are kept, repeats folded into a count).
import type { Reason } from './reason.js';
import { withEvent, type AgentRecord } from '../../src/registry/record.js';

export function addEvent(
  rec: AgentRecord,
  nowMs: number,
  type: 'Normal' | 'Warning',
  reason: Reason,
  message: string,
): void {
  rec.events = withEvent(rec.events, { time: new Date(nowMs).toISOString(), type, reason, message });
}
