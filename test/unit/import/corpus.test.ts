// The corpus of older-format files: each converts to its expected output, which validates, and
// each states what it must become.
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { convertOldSpecs } from '../../../src/import/convert.js';
import { corpus, fixture, validate } from '../../helpers/import.js';

const SAMPLES = corpus();
const convert = (rel: string) => convertOldSpecs(fixture(rel), rel);

describe('import corpus', () => {
  it('covers v1, v2 and v3, every runtime, both multiplexers and health methods, hooks, remote, slurm, context', () => {
    expect(SAMPLES.length).toBeGreaterThanOrEqual(15);
    const all = SAMPLES.map(fixture).join('\n');
    for (const v of ['cld-agent/v1', 'scitex-agent-container/v2', 'scitex-agent-container/v3'])
      expect(all).toContain(`apiVersion: ${v}`);
    for (const r of [
      'claude-code',
      'tui',
      'apptainer',
      'docker',
      'claude-session',
      'slurm',
      'aider',
      'cursor',
      'screen',
    ])
      expect(all).toContain(`runtime: ${r}`);
    for (const m of [
      'multiplexer: screen',
      'multiplexer: tmux',
      'method: screen-alive',
      'method: multiplexer-alive',
      'remote:',
      'context_management:',
      'startup_commands:',
      'ready_patterns:',
      'env-file:',
      'listen:',
      'a2a-card:',
      'logs_dir:',
    ]) {
      expect(all).toContain(m);
    }
  });

  it.each(SAMPLES)('%s converts to its expected output, which validates', (rel) => {
    const { yaml } = convert(rel);
    expect(yaml).toBe(fixture(rel.replace(/\.yaml$/, '.expected.yaml')));
    expect(validate(yaml).length).toBeGreaterThan(0);
  });
});

/** What each sample must become: the fields that carry its point. */
const MUST_BECOME: Record<
  string,
  { spec: Record<string, unknown>; name?: string; notes?: string[]; absent?: string[] }
> = {
  'v1-claude-screen.yaml': {
    spec: {
      claude: {
        model: 'opus',
        session: 'continue',
        autoAccept: true,
        channels: ['plugin:telegram@claude-plugins-official'],
      },
      restartPolicy: 'OnFailure',
    },
    notes: [
      'health was multiplexer-alive: agentctl watches the process itself',
      'spec.screen.name was "cld-researcher"',
    ],
    absent: ['runtime', 'healthCheck'],
  },
  'v1-minimal.yaml': {
    spec: { claude: { model: 'sonnet' }, restartPolicy: 'Never' },
    notes: ["the older tool's default was never"],
  },
  'v1-aider-command.yaml': {
    spec: { command: ['sh', '-c', 'aider --model gpt-4o --yes-always'], restartPolicy: 'Always' },
    absent: ['claude'],
  },
  'v1-cursor-no-command.yaml': {
    spec: { claude: { autoAccept: true }, restartPolicy: 'Never' },
    notes: ['runtime cursor has no agentctl preset'],
  },
  'v1-slurm.yaml': {
    spec: {
      runtime: 'slurm',
      claude: { session: 'resume', resumeId: '3f2a9c1e-5b7d-4e8f-9a01-23456789abcd' },
      slurm: {
        logsDir: '~/slurm_logs',
        memory: '64G',
        extraDirectives: ['--nodes=1', '--signal=B:USR1@3600', '--constraint=a100'],
      },
    },
  },
  'v1-remote-ssh.yaml': {
    spec: { host: 'gpu1-lab-example-org' },
    notes: [
      'kind: Host, metadata: {name: gpu1-lab-example-org}, spec: {ssh: {host: gpu1.lab.example.org, user: agent, identityFile: ~/.ssh/id_ed25519, port: 2222}}',
    ],
  },
  'v2-tmux-env.yaml': {
    spec: {
      claude: { model: 'opus[1m]', session: 'continue-or-new' },
      envFiles: ['~/.scitex/orochi/runtime/workspaces/head-nas/.env'],
      listen: [
        { port: 8559, proto: 'tcp', name: 'orochi-ws' },
        { port: 5353, proto: 'udp' },
      ],
      extensions: { dashboard: { color: 'blue', order: 3 } },
    },
    notes: ['not mapped: spec.listen[2]', 'DATA_DIR: the older tool expanded'],
  },
  'v2-screen.yaml': {
    spec: { claude: { channels: ['plugin:telegram@claude-plugins-official'] } },
    notes: ['multiplexer was screen: agentctl runs terminal agents in tmux'],
    absent: ['runtime'],
  },
  'v2-url-hooks.yaml': {
    spec: {
      hooks: {
        preStart: [
          { url: 'https://hooks.example.org/agents/pre-start?token=abc' },
          'echo "starting $SCITEX_AGENT_CONTAINER_NAME" >> ~/hooks.log',
        ],
        postStart: [{ url: 'http://127.0.0.1:9000/started' }],
        onCompact: [{ url: 'https://hooks.example.org/agents/compacted' }],
        onRestart: ['notify-send "restarted $SCITEX_AGENT_CONTAINER_SCREEN_NAME"'],
      },
      extensions: { 'scitex-agent-container': { importedFrom: 'v2-url-hooks.yaml' } },
    },
    notes: ['not mapped: spec.hooks.on_diff'],
  },
  'v2-context-startup.yaml': {
    spec: {
      claude: {
        continueMaxAgeMinutes: 240,
        context: { triggerAtPercent: 80, strategy: 'compact', checkIntervalSeconds: 120 },
      },
      startup: {
        readyPattern: '(?:bypass permissions on)|(?:\\? for shortcuts)',
        timeoutSeconds: 90,
        onTimeout: 'Fail',
        commands: [
          { text: '/status', delaySeconds: 2 },
          { text: 'Read CLAUDE.md, then report readiness on the hub.', delaySeconds: 5 },
        ],
      },
    },
  },
  'v2-resume-no-id.yaml': {
    spec: {
      claude: { session: 'continue' },
      healthCheck: { exec: ['sh', '-c', 'curl -fsS http://127.0.0.1:8080/health'], failureThreshold: 5 },
    },
    notes: [
      'session resume without resume_id: continues the most recent conversation (--continue)',
      'runtime docker ran the agent in a Docker container',
    ],
  },
  'v2-remote-hops.yaml': {
    spec: { host: 'spartan' },
    notes: ['spec: {ssh: {host: spartan, jump: [bastion]}}'],
    absent: ['healthCheck'],
  },
  'v2-a2a.yaml': {
    spec: {
      extensions: {
        'a2a-card': { name: 'contributor-site', skills: ['fork', 'clone', 'branch', 'commit', 'push', 'open-pr'] },
        a2a: { port: 9123 },
      },
    },
    notes: ['write the .mcp.json with spec.files'],
  },
  'v2-command-worker.yaml': {
    spec: { command: ['python3', '-m', 'indexer', '--watch'], envFiles: ['/etc/indexer/secrets.env', '~/indexer.env'] },
    absent: ['claude', 'healthCheck'],
  },
  'scitex-fleet.yaml': {
    spec: { claude: { session: 'continue-or-new' } },
    name: 'orchestrator-main',
    notes: ['not mapped: spec.runtime: "screen"'],
  },
  'v3/proj-lead/spec.yaml': {
    name: 'proj-lead',
    spec: {
      claude: { model: 'claude-opus-4-8[1m]', session: 'continue' },
      startup: { commands: [{ text: 'Start or continue. Scan your todo card slice, then report readiness.' }] },
      hooks: {
        preStart: ['command -v direnv >/dev/null 2>&1 && direnv allow "$PWD" || true'],
        onRestart: [{ url: 'https://hub.example.org/hooks/restarted' }],
      },
    },
    notes: ['host ${HOSTNAME} meant the machine that started the agent'],
    absent: ['host'],
  },
  'v3/sdk-runner/spec.yaml': {
    name: 'sdk-runner',
    spec: {
      claude: { model: 'claude-haiku-4-5', session: 'new' },
      startup: { commands: [{ text: "Reply with the string 'hello' and nothing else." }] },
    },
  },
  'v3/gpu-analyst/spec.yaml': {
    name: 'gpu-analyst',
    spec: {
      host: 'spartan',
      claude: { context: { triggerAtPercent: 90, strategy: 'restart' } },
      envFiles: ['/data/gpfs/projects/neuro/analyst/.env', '~/.secrets/analyst.env'],
    },
  },
};

describe('what each sample must become', () => {
  it('states it for every sample', () => {
    expect(Object.keys(MUST_BECOME).sort()).toEqual([...SAMPLES].sort());
  });

  it.each(Object.entries(MUST_BECOME))('%s', (rel, want) => {
    const { yaml } = convert(rel);
    const [doc] = validate(yaml);
    expect(doc!.spec).toMatchObject(want.spec);
    if (want.name) expect(doc!.metadata.name).toBe(want.name);
    for (const n of want.notes ?? []) expect(yaml).toContain(n);
    // Absent from the output as written (the schema fills defaults in, e.g. runtime tmux).
    const written = (parseDocument(yaml).toJS() as { spec: Record<string, unknown> }).spec;
    for (const field of want.absent ?? []) expect(written).not.toHaveProperty(field);
  });
});
