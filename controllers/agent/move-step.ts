// Placement steps before each reconcile: stop fenced copies on Hosts that answer again, and carry out a move.
//
// A move is a stop there and a start here (DESIGN §10.4): the incarnation on the old Host is
// stopped (or, when that Host does not answer, fenced: recorded, and stopped the first time it
// answers), the record is pointed at the new place with no incarnation, and the ordinary plan
// then starts it there. The record is saved between the two, so a controller killed in between
// neither loses the fenced copy nor starts a second one.
import type { AgentRecord } from '../../src/registry/record.js';
import type { ObservedAgent } from '../../src/runtime/types.js';
import type { AgentDeps } from './deps.js';
import { addEvent } from './events.js';
import { moveOf, placeName, placeOn } from './move.js';
import { runtimeKey } from './placement.js';
import { saveRecord } from './record-status.js';
import { stopIncarnation } from './steps.js';

type Look = { ok: true; observed: ObservedAgent | undefined } | { ok: false; why: string };

/** A fresh look at `name` in runtime `key` (a copy left behind must not be judged on an old view). */
async function look(d: AgentDeps, key: string, name: string): Promise<Look> {
  if (!d.runtimes.has(key)) return { ok: false, why: `${key} is not driven from here` };
  try {
    return { ok: true, observed: (await d.views.refresh(key)).agents.get(name) };
  } catch (err) {
    return { ok: false, why: err instanceof Error ? err.message : String(err) };
  }
}

/** Ours to stop: our mark, or the incarnation we recorded. */
const ours = (d: AgentDeps, o: ObservedAgent | undefined, handle: string | null): o is ObservedAgent =>
  o !== undefined && (o.owner === d.identity.owner || (handle !== null && o.handle === handle));

/** Stops each fenced copy whose Host answers; keeps the others (mutates `rec`). */
async function stopFenced(d: AgentDeps, rec: AgentRecord): Promise<void> {
  const self = d.identity.host;
  const keep = [];
  for (const f of rec.fenced ?? []) {
    const key = runtimeKey(f.runtime, f.host);
    const seen = await look(d, key, rec.name);
    if (!seen.ok) {
      keep.push(f);
      continue;
    }
    const o = seen.observed;
    const current = rec.handle !== null && o?.handle === rec.handle && key === runtimeKey(rec.runtime, rec.host);
    const where = placeName(f.host, self);
    if (!current && ours(d, o, f.handle) && o.alive) {
      await stopIncarnation(d, rec, undefined, o, d.runtimes.get(key), 'fenced copy');
      addEvent(rec, d.now(), 'Normal', 'FencedCopyStopped', `${where} answers again: stopped the old copy ${o.handle}`);
    } else {
      addEvent(rec, d.now(), 'Normal', 'FenceCleared', `${where} answers again: no old copy runs there`);
    }
  }
  if (keep.length > 0) rec.fenced = keep;
  else delete rec.fenced;
}

/** Stops (or fences) the incarnation at the old place and points the record at the new one. */
async function move(d: AgentDeps, rec: AgentRecord): Promise<void> {
  const desired = d.desired.get(rec.name);
  const m = moveOf(desired, rec);
  if (!desired || !m) return;
  const self = d.identity.host;
  const [from, to] = [placeName(m.from, self), placeName(m.to, self)];
  const handle = rec.handle;
  if (handle === null) {
    placeOn(rec, desired);
    addEvent(rec, d.now(), 'Normal', 'Moved', `placed on ${to} (was ${from}; nothing ran there)`);
    return;
  }
  const key = runtimeKey(rec.runtime, rec.host);
  const seen = await look(d, key, rec.name);
  if (!seen.ok) {
    const fence = { runtime: rec.runtime, handle, since: d.now(), reason: seen.why };
    rec.fenced = [...(rec.fenced ?? []), { ...fence, ...(m.from !== undefined ? { host: m.from } : {}) }];
    addEvent(
      rec,
      d.now(),
      'Warning',
      'Fenced',
      `${from} does not answer (${seen.why}): ${handle} there is fenced, to be stopped when ${from} answers`,
    );
  } else if (ours(d, seen.observed, handle) && seen.observed.alive) {
    await stopIncarnation(d, rec, desired, seen.observed, d.runtimes.get(key), 'move');
  }
  placeOn(rec, desired);
  addEvent(rec, d.now(), 'Normal', 'Moved', `moved from ${from} to ${to}: ${handle} ${seen.ok ? 'stopped' : 'fenced'}`);
  d.log.info({ agent: rec.name, from, to, handle, fenced: !seen.ok }, 'moving agent');
}

/** Runs before the plan of each reconcile; saves the record when it changed. */
export async function placementSteps(d: AgentDeps, name: string): Promise<void> {
  const existing = d.records.get(name);
  if (!existing) return;
  if ((existing.fenced ?? []).length === 0 && !moveOf(d.desired.get(name), existing)) return;
  const rec = structuredClone(existing);
  await stopFenced(d, rec);
  await move(d, rec);
  await saveRecord(d, rec, existing);
}
