// Health probes: run a healthCheck's exec argv or HTTP GET once, with its timeout.
import type { HealthCheck } from '../../src/spec/schema.js';
import type { Executor } from '../../src/exec/executor.js';
import { fetchCard } from './a2a-card.js';
import { scrubSecrets } from '../../src/spec/secrets.js';

/** The most of a failed check's output kept in its message (events, get, the registry). */
export const PROBE_TAIL_CHARS = 200;

export interface ProbeResult {
  ok: boolean;
  message: string;
}

/** `base`: the environment the probe's env is added to (the agent's base here; on a Host, that
 * login's own, which the executor keeps); never the controller's own environment. `secrets` are scrubbed from the output before it is
 * cut: a secret straddling the cut must not leave a prefix behind. */
export async function probe(
  h: HealthCheck,
  exec: Executor,
  cwd: string,
  env: Record<string, string>,
  base: Record<string, string> = {},
  secrets: readonly string[] = [],
  agentName = '',
): Promise<ProbeResult> {
  const timeoutMs = h.timeoutSeconds * 1000;
  if (h.a2aCard) return fetchCard(h.a2aCard.url, h.a2aCard.name ?? agentName, timeoutMs);
  if (h.exec) {
    const r = await exec.run(h.exec[0]!, h.exec.slice(1), { timeoutMs, cwd, env: { ...base, ...env } });
    if (r.spawnError) return { ok: false, message: `cannot run ${h.exec[0]}: ${r.spawnError}` };
    if (r.timedOut) return { ok: false, message: `timed out after ${h.timeoutSeconds}s` };
    const tail =
      scrubSecrets(r.stderr || r.stdout, secrets)
        .trim()
        .split('\n')
        .slice(-1)[0] ?? '';
    return r.exitCode === 0
      ? { ok: true, message: '' }
      : { ok: false, message: `exit code ${r.exitCode}${tail ? `: ${tail.slice(0, PROBE_TAIL_CHARS)}` : ''}` };
  }
  try {
    const res = await fetch(h.http!, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await res.body?.cancel();
    return res.status >= 200 && res.status < 400
      ? { ok: true, message: '' }
      : { ok: false, message: `HTTP ${res.status}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError') return { ok: false, message: `timed out after ${h.timeoutSeconds}s` };
    return { ok: false, message: e.cause?.code ?? e.message };
  }
}

/** When the next probe of an incarnation is due (epoch ms). */
export function nextProbeAt(h: HealthCheck, startedAt: number, lastCheckAt: number | null): number {
  return lastCheckAt === null ? startedAt + h.initialDelaySeconds * 1000 : lastCheckAt + h.periodSeconds * 1000;
}
