// Resync's filter: which agents' observed state no longer matches what their record says (pure).
import type { AgentRecord } from '../../src/registry/record.js';
import type { DesiredAgent } from '../../src/spec/load.js';
import type { ObservedAgent } from '../../src/runtime/types.js';

export function needsReconcile(
  desired: DesiredAgent | undefined,
  rec: AgentRecord | undefined,
  o: ObservedAgent | undefined,
  owner: string,
): boolean {
  if (!rec) return desired !== undefined || o?.owner === owner;
  if (!desired) return true; // spec gone: prune pending (or blocked, which is re-reported)
  if ((rec.fenced ?? []).length > 0) return true; // a fenced copy is looked for each resync
  if (!rec.suspended && desired.remoteHost !== rec.host) return true; // moved to another Host
  if (rec.suspended) return rec.suspendStop && o?.alive === true;
  if (desired.hash !== rec.specHash && desired.spec.state === 'Running') return true;
  if (desired.spec.state === 'Stopped') return o !== undefined || rec.phase !== 'Stopped';
  if (o?.alive) {
    return (
      o.handle !== rec.handle ||
      o.hash !== desired.hash ||
      (rec.phase !== 'Running' && rec.phase !== 'Pending') ||
      (o.pending === true) !== (rec.phase === 'Pending')
    );
  }
  if (o) return rec.lastExit?.handle !== o.handle || rec.phase === 'Running' || rec.phase === 'Pending';
  // Absent: fine only when it already ended for good (Succeeded/Failed) and we know it.
  return rec.handle !== null
    ? rec.lastExit?.handle !== rec.handle || rec.phase === 'Running'
    : rec.phase !== 'Succeeded' && rec.phase !== 'Failed';
}
