// Announces a Claude agent's waits and idle turns: an event each, and its onWaiting / onIdle hooks sent in the background.
import { EMPTY_NOTICES } from '../../../src/registry/attention-record.js';
import type { AgentRecord } from '../../../src/registry/record.js';
import type { DesiredAgent } from '../../../src/spec/load.js';
import { scrubSecrets } from '../../../src/spec/secrets.js';
import type { AgentDeps } from '../deps.js';
import { addEvent } from '../events.js';
import { hookTargetOf } from '../session/agent-env.js';
import { noticeMessage, noticePayload, planNotices, type ActivityView, type Notice } from './notice-plan.js';

/** Mutates `rec` (events, attention memory). Never waits for a hook: a URL that hangs or an exec
 * that runs long costs the reconcile nothing (the runner sends them in the background). */
export async function noticeStep(
  d: AgentDeps,
  rec: AgentRecord,
  desired: DesiredAgent,
  view: ActivityView | null,
): Promise<{ requeueAfterMs?: number }> {
  if (!view) return {};
  const attention = rec.attention ?? { notices: EMPTY_NOTICES, spend: null };
  const now = d.now();
  const plan = planNotices(view, attention.notices, now);
  rec.attention = { ...attention, notices: plan.memory };
  if (plan.notices.length > 0) {
    const t = await hookTargetOf(d, desired);
    const scrub = (s: string): string => scrubSecrets(s, t.secrets);
    for (const n of plan.notices) {
      addEvent(rec, now, 'Normal', n.reason, scrub(noticeMessage(n)));
      send(d, rec, desired, n, t, scrub);
    }
  }
  return plan.recheckAfterMs !== null ? { requeueAfterMs: plan.recheckAfterMs } : {};
}

/** Sends one notice's hooks (in the background). */
export async function sendNotice(d: AgentDeps, rec: AgentRecord, desired: DesiredAgent, n: Notice): Promise<void> {
  if (!d.hooks || (desired.spec.hooks?.[n.hook] ?? []).length === 0) return;
  const t = await hookTargetOf(d, desired);
  send(d, rec, desired, n, t, (s) => scrubSecrets(s, t.secrets));
}

function send(
  d: AgentDeps,
  rec: AgentRecord,
  desired: DesiredAgent,
  n: Notice,
  t: Awaited<ReturnType<typeof hookTargetOf>>,
  scrub: (s: string) => string,
): void {
  if (!d.hooks || (desired.spec.hooks?.[n.hook] ?? []).length === 0) return;
  const payload = noticePayload(rec.name, desired.spec.host ?? d.identity.host, n, scrub);
  void d.hooks.run({
    name: rec.name,
    hook: n.hook,
    spec: desired.spec,
    specFile: desired.file,
    specHash: desired.hash,
    workdir: t.workdir,
    // Exec entries read the notice from their environment.
    env: {
      ...t.env,
      AGENTCTL_ACTIVITY: payload.activity,
      AGENTCTL_WAITING_FOR: payload.waitingFor ?? '',
      AGENTCTL_MESSAGE: payload.message ?? '',
      AGENTCTL_SINCE: payload.since ?? '',
    },
    secrets: t.secrets,
    background: true,
    payload: { ...payload },
  });
}
