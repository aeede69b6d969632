// Runs an agent's health probe when one is due and folds the result into its record.
import type { DesiredAgent } from '../../src/spec/load.js';
import type { AgentRecord, HealthState } from '../../src/registry/record.js';
import type { ObservedAgent } from '../../src/runtime/types.js';
import { expandHome } from '../../src/util/paths.js';
import { readEnvFiles } from '../../src/workspace/prepare.js';
import { scrubSecrets, secretValues } from '../../src/spec/secrets.js';
import type { AgentDeps } from './deps.js';
import { HostUnreachableError } from '../../src/exec/ssh-errors.js';
import { nextProbeAt, probe } from './health.js';
import { addEvent } from './events.js';

/** Probes the running, up-to-date incarnation if its next probe is due (mutates `rec`). */
export async function probeIfDue(
  d: AgentDeps,
  rec: AgentRecord,
  desired: DesiredAgent | undefined,
  o: ObservedAgent | undefined,
): Promise<void> {
  const h = desired?.spec.healthCheck;
  if (!h || !o?.alive || o.pending || o.hash !== desired.hash || rec.handle !== o.handle || rec.startedAt === null)
    return;
  const fresh: HealthState = {
    handle: rec.handle,
    consecutiveFailures: 0,
    passed: false,
    lastCheckAt: null,
    lastMessage: '',
  };
  const health = rec.health?.handle === rec.handle ? rec.health : fresh;
  rec.health = health;
  if (nextProbeAt(h, rec.startedAt, health.lastCheckAt) > d.now()) return;
  // The agent's own environment (envFiles, then env) and its identity, as at its start; the
  // base under it is the agent's (DESIGN §9.5), never the controller's own environment.
  const fromFiles = await readEnvFiles(desired, d.identity.home).catch(() => ({}));
  // An agent on a Host is probed there, from its workdir there; a host that does not answer
  // counts as no probe at all (its agents show HostUnreachable), never as a failed check.
  const remote = desired.remoteHost === undefined ? undefined : d.hosts?.probeTarget(desired.remoteHost);
  if (desired.remoteHost !== undefined && !remote) return;
  const at = remote ?? { exec: d.probeExec, home: d.identity.home };
  const workdir = expandHome(desired.spec.workdir ?? `~/agents/${desired.name}`, at.home);
  const env = { ...fromFiles, ...desired.spec.env, AGENTCTL_AGENT: desired.name, AGENTCTL_WORKDIR: workdir };
  const secrets = secretValues(desired.spec.env, fromFiles);
  let raw;
  try {
    raw = await probe(
      h,
      at.exec,
      workdir,
      env,
      // On a Host the executor keeps that login's base (remote-command.ts).
      remote ? {} : (d.baseEnv ?? {}),
      secrets,
      desired.name,
    );
  } catch (err) {
    if (err instanceof HostUnreachableError) return;
    throw err;
  }
  // A check that prints the agent's secrets must not carry them into events, get or the registry.
  const r = { ...raw, message: scrubSecrets(raw.message, secrets) };
  const failures = r.ok ? 0 : health.consecutiveFailures + 1;
  if (!r.ok)
    addEvent(
      rec,
      d.now(),
      'Warning',
      'Unhealthy',
      `health check failed (${failures}/${h.failureThreshold}): ${r.message}`,
    );
  else if (!health.passed) addEvent(rec, d.now(), 'Normal', 'Healthy', 'health check passed');
  rec.health = {
    handle: rec.handle,
    consecutiveFailures: failures,
    passed: health.passed || r.ok,
    lastCheckAt: d.now(),
    lastMessage: r.message,
  };
}
