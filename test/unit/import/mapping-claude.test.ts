// agentctl import's mapping rules for Claude agents: runtime, multiplexer, sessions, context,
// startup, placement and declarations.
import { describe, expect, it } from 'vitest';
import { convertOne } from '../../helpers/import.js';

describe('import: runtime and multiplexer', () => {
  it.each([
    { runtime: 'claude-code', want: 'tmux', program: 'claude', note: undefined },
    { runtime: 'tui', want: 'tmux', program: 'claude', note: undefined },
    {
      runtime: 'apptainer',
      want: 'tmux',
      program: 'claude',
      note: 'runtime apptainer ran the agent in an Apptainer container',
    },
    { runtime: 'docker', want: 'tmux', program: 'claude', note: 'runtime docker ran the agent in a Docker container' },
    { runtime: 'claude-session', want: 'tmux', program: 'claude', note: 'ran the headless Claude Agent SDK' },
    { runtime: 'claude-agent-sdk', want: 'tmux', program: 'claude', note: 'ran the headless Claude Agent SDK' },
    { runtime: 'slurm', want: 'slurm', program: 'claude', note: undefined },
    { runtime: 'aider', want: 'tmux', program: 'claude', note: 'runtime aider has no agentctl preset' },
    // screen and tmux were multiplexers, not runtimes.
    {
      runtime: 'screen',
      want: 'tmux',
      program: 'claude',
      note: 'not mapped: spec.runtime: "screen" (not a runtime of the older tool',
    },
    { runtime: 'kubernetes', want: 'tmux', program: 'claude', note: 'not mapped: spec.runtime: "kubernetes"' },
  ])('runtime $runtime → $want', ({ runtime, want, program, note }) => {
    const { yaml, doc } = convertOne({ runtime });
    expect(doc.spec.runtime).toBe(want);
    expect(doc.spec).toHaveProperty(program);
    if (note) expect(yaml).toContain(note);
    else expect(yaml).not.toMatch(/#.*runtime/);
  });

  it('a runtime that ran a program keeps its command, with no note about Claude', () => {
    const { yaml, doc } = convertOne({ runtime: 'docker', command: ['node', 'bot.js'] });
    expect(doc.spec.command).toEqual(['node', 'bot.js']);
    expect(yaml).toMatch(
      /# runtime docker ran the agent in a Docker container: agentctl runs it on the host, in tmux\n\s+command:/,
    );
  });

  it.each([
    { multiplexer: 'tmux', note: undefined },
    { multiplexer: 'screen', note: '# multiplexer was screen: agentctl runs terminal agents in tmux' },
    { multiplexer: 'zellij', note: '# not mapped: spec.multiplexer: "zellij" (screen or tmux)' },
  ])('multiplexer $multiplexer', ({ multiplexer, note }) => {
    const { yaml, doc } = convertOne({ runtime: 'claude-code', multiplexer });
    expect(doc.spec.runtime).toBe('tmux');
    if (note) expect(yaml).toContain(note);
    else expect(yaml).not.toContain('multiplexer');
  });
});

describe('import: claude preset', () => {
  it.each([
    { spec: { claude: { session: 'new' } }, want: { session: 'new' } },
    { spec: { claude: { session: 'fresh' } }, want: { session: 'new' } },
    { spec: { claude: { session: 'new-session' } }, want: { session: 'new' } },
    { spec: { claude: { session: 'continue-or-new' } }, want: { session: 'continue-or-new' } },
    { spec: { session: 'continue', claude: { session: 'new' } }, want: { session: 'continue' } },
    { spec: { claude: { resume_id: 'abc' } }, want: { session: 'resume', resumeId: 'abc' } },
    // resume without an id continued the most recent conversation in the older tool.
    { spec: { claude: { session: 'resume' } }, want: { session: 'continue' } },
    { spec: { claude: { session: 'resume', resume_id: '  ' } }, want: { session: 'continue' } },
    { spec: { claude: { model: 'opus' } }, want: { model: 'opus' } },
    { spec: { model: 'sonnet', claude: { model: 'opus' } }, want: { model: 'sonnet' } },
    { spec: { claude: { continue_max_age_minutes: 30 } }, want: { continueMaxAgeMinutes: 30 } },
    { spec: {}, want: { session: 'new', autoAccept: true } },
    { spec: { claude: { auto_accept: false } }, want: { autoAccept: false } },
  ])('$spec → $want', ({ spec, want }) => {
    expect(convertOne(spec).doc.spec.claude).toMatchObject(want);
  });

  it('says why resume became continue', () => {
    expect(convertOne({ claude: { session: 'resume' } }).yaml).toContain(
      '# session resume without resume_id: continues the most recent conversation (--continue), as the older tool did',
    );
  });

  it.each([
    { cm: { strategy: 'compact' }, want: { triggerAtPercent: 70, strategy: 'compact' } },
    {
      cm: { strategy: 'restart', trigger_at_percent: '90', check_interval_seconds: 600 },
      want: { triggerAtPercent: 90, strategy: 'restart', checkIntervalSeconds: 600 },
    },
    { cm: { strategy: 'noop', trigger_at_percent: 50 }, want: undefined },
    { cm: { trigger_at_percent: 50 }, want: undefined },
    { cm: { strategy: 'compact', trigger_at_percent: 150 }, want: { triggerAtPercent: 70, strategy: 'compact' } },
  ])('context_management $cm → claude.context $want', ({ cm, want }) => {
    const ctx = convertOne({ context_management: cm }).doc.spec.claude?.context;
    if (want === undefined) expect(ctx).toBeUndefined();
    else expect(ctx).toMatchObject(want);
  });
});

describe('import: startup', () => {
  it('v1/v2 startup_commands are typed once the agent is up; a ready gate defaults to going on after its timeout', () => {
    expect(
      convertOne({ startup_commands: [{ command: '/status', delay: 3 }, { command: 'hi' }, { delay: 1 }] }).doc.spec
        .startup,
    ).toEqual({
      commands: [
        { text: '/status', delaySeconds: 3 },
        { text: 'hi', delaySeconds: 0 },
      ],
      timeoutSeconds: 90,
      onTimeout: 'Fail',
    });
    expect(convertOne({ startup: { ready_patterns: ['^> $'], commands: ['go'] } }).doc.spec.startup).toMatchObject({
      readyPattern: '^> $',
      onTimeout: 'Proceed',
      commands: [{ text: 'go' }],
    });
  });

  it('a pattern JavaScript cannot read is noted, not guessed', () => {
    const { yaml, doc } = convertOne({ startup: { ready_patterns: ['(?P<x>ready)'] } });
    expect(doc.spec.startup).toBeUndefined();
    expect(yaml).toContain('not mapped: spec.startup.ready_patterns');
  });

  it('v3 startup_commands are shell commands before the agent (preStart); startup_prompts are typed', () => {
    const { doc } = convertOne(
      {
        startup_commands: [{ command: 'direnv allow .' }],
        startup_prompts: ['Start.'],
        hooks: { pre_start: ['echo a'] },
      },
      'x',
      'scitex-agent-container/v3',
    );
    expect(doc.spec.hooks.preStart).toEqual(['echo a', 'direnv allow .']);
    expect(doc.spec.startup?.commands).toEqual([{ text: 'Start.', delaySeconds: 0 }]);
  });
});

describe('import: placement and declarations', () => {
  it.each([
    { spec: { remote: 'gpu1' }, host: 'gpu1', note: 'spec: {ssh: {host: gpu1}}' },
    {
      spec: { remote: ['jump1', 'jump2', 'gpu.example.org'] },
      host: 'gpu-example-org',
      note: '{ssh: {host: gpu.example.org, jump: [jump1, jump2]}}',
    },
    {
      spec: { remote: { host: '10.0.0.5', user: 'a', port: 22, key: 'id_rsa' } },
      host: '10-0-0-5',
      note: 'not mapped: spec.remote.key: <redacted> (must be absolute or start with ~/)',
    },
    { spec: { host: 'nas' }, host: 'nas', note: undefined },
    { spec: { host: 'Yusukes-MacBook' }, host: 'Yusukes-MacBook', note: undefined },
    { spec: { host: 'local' }, host: undefined, note: 'host local meant the machine that started the agent' },
    { spec: { host: ['a', 'b'] }, host: 'a', note: 'fallback hosts' },
    { spec: { hosts: 'all' }, host: undefined, note: 'not mapped: spec.hosts: "all"' },
  ])('$spec → host $host', ({ spec, host, note }) => {
    const { yaml, doc } = convertOne(spec);
    expect(doc.spec.host).toBe(host);
    if (note) expect(yaml).toContain(note);
  });

  it('maps listen ports; unix sockets and owners are noted', () => {
    const { yaml, doc } = convertOne({
      listen: [
        { port: 80 },
        { port: '53', proto: 'udp', name: 'dns', owner: 'x' },
        { proto: 'unix', path: '/s' },
        { port: 0 },
      ],
    });
    expect(doc.spec.listen).toEqual([
      { port: 80, proto: 'tcp' },
      { port: 53, proto: 'udp', name: 'dns' },
    ]);
    expect(yaml).toContain('not mapped: spec.listen[1].owner: "x"');
    expect(yaml).toContain('not mapped: spec.listen[3]: {"port":0} (a port 1-65535 over tcp or udp)');
  });
});
