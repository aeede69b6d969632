// What a request from the command line (restart, suspend, resume) does to an agent's record (pure).
import { withEvent, type AgentRecord } from '../../src/registry/record.js';
import type { AgentRequest } from '../../src/registry/requests.js';

/** The record after a request (pure). */
export function applyRequest(rec: AgentRecord, req: AgentRequest): AgentRecord {
  const time = new Date(req.at).toISOString();
  const who = req.from ? ` by ${req.from}` : '';
  switch (req.type) {
    case 'restart':
      return {
        ...rec,
        restartRequestedAt: req.at,
        events: withEvent(rec.events, {
          time,
          type: 'Normal',
          reason: 'RestartRequested',
          message: `restart requested${who}`,
        }),
      };
    case 'suspend':
      return {
        ...rec,
        suspended: true,
        suspendStop: req.stop,
        events: withEvent(rec.events, {
          time,
          type: 'Normal',
          reason: 'Suspended',
          message: `reconciling suspended${req.stop ? ' (and stopped)' : ''}${who}`,
        }),
      };
    case 'resume':
      return {
        ...rec,
        suspended: false,
        suspendStop: false,
        events: withEvent(rec.events, {
          time,
          type: 'Normal',
          reason: 'Resumed',
          message: `reconciling resumed${who}`,
        }),
      };
  }
}
