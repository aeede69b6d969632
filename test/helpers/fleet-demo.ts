// A believable fleet for the page's browser test and its screenshots: every phase, labels, events, output.
import type { AgentEvent, Condition } from '../../src/registry/record.js';
import type { AgentItem } from '../../src/http/fleet-source.js';
import { StubFleet, stubItem } from './fleet-stub.js';

/** The demo's one secret: it appears in an agent's output and must never reach the page. */
export const DEMO_SECRET = 'sk-demo-7f3a9c2e41';

export function demoFleet(nowMs: number): StubFleet {
  const ago = (min: number): string => new Date(nowMs - min * 60_000).toISOString();
  const cond = (
    type: Condition['type'],
    status: Condition['status'],
    reason: string,
    message: string,
    min: number,
  ): Condition => ({ type, status, reason, message, lastTransitionTime: ago(min) });
  const ready = (min: number): Condition[] => [cond('Ready', 'True', 'Running', 'running and healthy', min)];
  const claude = (activity: string, sinceMin: number, waitingFor: string | null = null, msg: string | null = null) =>
    ({
      model: 'claude-sonnet-4-5',
      sessionId: '4f1c2a9e-demo',
      contextPercent: 41,
      lastActivity: ago(sinceMin),
      activity,
      waitingFor,
      waitingMessage: msg,
      activitySince: ago(sinceMin),
      costUsd: 1.37,
      transcriptPath: null,
    }) as NonNullable<AgentItem['claude']>;
  const fleet = new StubFleet([
    stubItem('researcher-1', {
      startedAt: ago(192),
      labels: { team: 'research', tier: 'prod' },
      conditions: ready(192),
      message: 'running',
      runtime: 'tmux',
      claude: claude('WaitingForInput', 3, 'permission', 'Claude wants to use Bash(npm publish)'),
    }),
    stubItem('researcher-2', {
      startedAt: ago(47),
      labels: { team: 'research', tier: 'prod' },
      conditions: ready(47),
      restarts: 1,
      claude: claude('Working', 1),
    }),
    stubItem('reviewer', {
      startedAt: ago(1440 * 3),
      labels: { team: 'research', tier: 'dev' },
      conditions: ready(1440 * 3),
    }),
    stubItem('trainer', {
      runtime: 'slurm',
      host: 'login-1',
      startedAt: ago(312),
      labels: { team: 'ml', tier: 'prod' },
      conditions: ready(312),
      details: { jobId: '48213', node: 'gpu-07', state: 'RUNNING' },
      message: 'job 48213 running on gpu-07',
    }),
    stubItem('web', {
      phase: 'CrashLoopBackOff',
      ready: false,
      restarts: 12,
      startedAt: ago(0.3),
      labels: { team: 'platform', tier: 'prod' },
      lastExit: `exit code 1 at ${ago(0.4)}`,
      message: 'exited with code 1; back-off 5m0s restarting failed agent',
      conditions: [
        cond('Ready', 'False', 'CrashLoopBackOff', 'exited with code 1', 6),
        cond('Degraded', 'True', 'CrashLoopBackOff', 'restarted 12 times', 6),
      ],
    }),
    stubItem('indexer', {
      phase: 'Pending',
      ready: false,
      startedAt: null,
      handle: null,
      labels: { team: 'platform', tier: 'dev' },
      message: 'waiting for dependency db to be Ready',
      conditions: [cond('Ready', 'False', 'DependencyNotReady', 'db is not Ready', 2)],
    }),
    stubItem('db', {
      startedAt: ago(2),
      labels: { team: 'platform', tier: 'prod' },
      conditions: [cond('Ready', 'False', 'Starting', 'health check not passed yet', 2)],
      ready: false,
      message: 'started; waiting for the health check',
    }),
    stubItem('nightly-report', {
      phase: 'Succeeded',
      ready: false,
      startedAt: ago(600),
      runtime: 'slurm',
      host: 'login-1',
      labels: { team: 'ml', tier: 'dev' },
      message: 'exited with code 0',
      lastExit: `exit code 0 at ${ago(540)}`,
    }),
    stubItem('scratch', {
      phase: 'Suspended',
      desiredState: 'Suspended',
      ready: true,
      startedAt: ago(95),
      labels: { team: 'research', tier: 'dev' },
      message: 'suspended: not reconciled',
    }),
    stubItem('old-bot', {
      phase: 'Stopped',
      desiredState: 'Stopped',
      ready: false,
      startedAt: null,
      handle: null,
      labels: { team: 'platform', tier: 'dev' },
      message: 'stopped as desired',
    }),
  ]);
  const ev = (min: number, type: AgentEvent['type'], reason: string, message: string, count = 1): AgentEvent => ({
    time: ago(min),
    type,
    reason,
    message,
    count,
  });
  fleet.events.set('web', [
    ev(40, 'Normal', 'Created', 'created tmux session web'),
    ev(6.5, 'Normal', 'Started', 'started web (handle web.mx1q)'),
    ev(6, 'Warning', 'Exited', 'exited with code 1'),
    ev(5.8, 'Warning', 'BackOff', 'back-off 10s restarting failed agent'),
    ev(0.5, 'Warning', 'BackOff', 'back-off 5m0s restarting failed agent', 11),
    ev(0.4, 'Warning', 'Exited', 'exited with code 1', 11),
  ]);
  fleet.output.set(
    'web',
    [
      '[web] listening on 127.0.0.1:18080',
      `[web] connecting to db with key ${DEMO_SECRET}`,
      '[web] error: connect ECONNREFUSED 127.0.0.1:5432',
      '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)',
      '[web] exiting with code 1',
    ].join('\n'),
  );
  fleet.secretValues.set('web', [DEMO_SECRET]);
  for (const n of ['researcher-1', 'researcher-2', 'reviewer', 'trainer', 'db']) {
    fleet.events.set(n, [ev(50, 'Normal', 'Created', `created ${n}`), ev(49, 'Normal', 'Started', `started ${n}`)]);
    fleet.output.set(n, `${n}: step 1412 done\n${n}: step 1413 done\n${n}: waiting for input`);
  }
  return fleet;
}
