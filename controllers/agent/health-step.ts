// Runs an agent's health probe when one is due and folds the result into its record.
import type { DesiredAgent } from '../../src/spec/load.js';
import type { AgentRecord, HealthState } from '../../src/registry/record.js';
import type { ObservedAgent } from '../../src/runtime/types.js';
import { expandHome } from '../../src/util/paths.js';
import { scrubSecrets, secretValues } from '../../src/spec/secrets.js';
import type { AgentDeps } from './deps.js';
import { nextProbeAt, probe } from './health.js';
import { addEvent } from './events.js';

/** Probes the running, up-to-date incarnation if its next probe is due (mutates `rec`). */
export async function probeIfDue(d: AgentDeps, rec: AgentRecord, desired: DesiredAgent | undefined, o: ObservedAgent | undefined): Promise<void> {
  const h = desired?.spec.healthCheck;
  if (!h || !o?.alive || o.pending || o.hash !== desired!.hash || rec.handle !== o.handle || rec.startedAt === null) return;
  const fresh: HealthState = { handle: rec.handle, consecutiveFailures: 0, passed: false, lastCheckAt: null, lastMessage: '' };
  const health = rec.health?.handle === rec.handle ? rec.health : fresh;
  rec.health = health;
  if (nextProbeAt(h, rec.startedAt, health.lastCheckAt) > d.now()) return;
  const env = desired!.spec.env;
  const raw = await probe(h, d.probeExec, expandHome(desired!.spec.workdir ?? '~', d.identity.home), env);
  // A check that prints the agent's secrets must not carry them into events, get or the registry.
  const r = { ...raw, message: scrubSecrets(raw.message, secretValues(env, {})) };
  const failures = r.ok ? 0 : health.consecutiveFailures + 1;
  if (!r.ok) addEvent(rec, d.now(), 'Warning', 'Unhealthy', `health check failed (${failures}/${h.failureThreshold}): ${r.message}`);
  else if (!health.passed) addEvent(rec, d.now(), 'Normal', 'Healthy', 'health check passed');
  rec.health = { handle: rec.handle, consecutiveFailures: failures, passed: health.passed || r.ok, lastCheckAt: d.now(), lastMessage: r.message };
}
