// The agentctl/v1 Agent and Host specs as zod schemas: the single source of the spec's TypeScript types.
import { z } from 'zod';
import { SSH_HOST_PATTERN, SSH_JUMP_PATTERN, SSH_USER_PATTERN } from './ssh-patterns.js';
import { isTimerDuration } from '../util/duration.js';
import { checkPlacementFields, Failover, Handover, HostList } from './placement-fields.js';
import {
  Argv,
  CONTROL_CHARS,
  EnvMap,
  HostPath,
  intPositive,
  MAX_SECONDS,
  NAME_PATTERN,
  nonNegative,
  positive,
  RelativeFilePath,
  SlurmWord,
  TOO_LONG,
  WritableDir,
} from './schema-fields.js';
import { Workspace } from './workspace-fields.js';
import { A2aCardCheck } from './a2a-fields.js';
import { claudeFileClashes, McpServers, Memory } from './claude-files-fields.js';

export {
  NAME_PATTERN,
  ENV_KEY_PATTERN,
  MAX_SECONDS,
  Argv,
  RelativeFilePath,
  HostPath,
  WritableDir,
} from './schema-fields.js';

const Timeout = { timeoutSeconds: z.number().positive().optional() };

/** The cap is checked after the union matched, so that a too-long timeout is reported at its
 * field rather than as "matches no form of hook". */
export const HookEntry = z
  .union([
    z.string().min(1),
    z.strictObject({ shell: z.string().min(1), ...Timeout }),
    z.strictObject({ exec: Argv, ...Timeout }),
    z.strictObject({ url: z.url({ protocol: /^https?$/ }), ...Timeout }),
  ])
  .superRefine((e, ctx) => {
    if (typeof e === 'object' && e.timeoutSeconds !== undefined && e.timeoutSeconds > MAX_SECONDS) {
      ctx.addIssue({ code: 'custom', path: ['timeoutSeconds'], message: TOO_LONG });
    }
  });

export const Hooks = z.strictObject({
  preStart: z.array(HookEntry).optional(),
  postStart: z.array(HookEntry).optional(),
  preStop: z.array(HookEntry).optional(),
  postStop: z.array(HookEntry).optional(),
  /** After agentctl compacted a Claude agent's context (DESIGN §9.2). */
  onCompact: z.array(HookEntry).optional(),
  /** After agentctl rolled a Claude agent because its context was full (DESIGN §9.2). */
  onRestart: z.array(HookEntry).optional(),
  /** A Claude agent began to wait for a person (permission, question, login): once per wait (DESIGN §10.3). */
  onWaiting: z.array(HookEntry).optional(),
  /** A Claude agent's turn ended and it is idle (DESIGN §10.3). */
  onIdle: z.array(HookEntry).optional(),
});

export const HealthCheck = z
  .strictObject({
    exec: Argv.optional(),
    http: z.url({ protocol: /^https?$/ }).optional(),
    /** Fetch the agent's A2A card; it passes when it is JSON naming the agent. */
    a2aCard: A2aCardCheck.optional(),
    periodSeconds: positive.default(30),
    timeoutSeconds: positive.default(5),
    failureThreshold: intPositive.default(3),
    initialDelaySeconds: nonNegative.default(0),
  })
  .refine(
    (h) => [h.exec, h.http, h.a2aCard].filter((c) => c !== undefined).length === 1,
    'exactly one of exec, http or a2aCard is required',
  );

export const ClaudeSession = z.enum(['new', 'continue', 'resume', 'continue-or-new']);

/** Context management of a Claude agent (DESIGN §9.2): act when its context is this full. */
export const ClaudeContext = z.strictObject({
  triggerAtPercent: z.number().gt(0).max(100).default(85),
  strategy: z.enum(['compact', 'restart']).default('compact'),
  checkIntervalSeconds: positive.default(60),
});

export const Claude = z.strictObject({
  model: z.string().min(1).optional(),
  session: ClaudeSession.default('new'),
  /** For session "resume"; without it, resume falls back to --continue (as the older tool did). */
  resumeId: z.string().default(''),
  flags: z.array(z.string()).default([]),
  channels: z.array(z.string().min(1)).default([]),
  binary: z.string().min(1).default('claude'),
  /** Answer Claude Code's start-up prompts (bypass permissions, development channels, ...). */
  autoAccept: z.boolean().default(false),
  /** --add-dir, one per entry. */
  addDirs: z.array(HostPath).default([]),
  /** continue-or-new: continue only when the newest transcript is at most this old (0: any age). */
  continueMaxAgeMinutes: nonNegative.default(0),
  context: ClaudeContext.optional(),
  /** A day's spending limit (DESIGN §10.3): past it the agent is suspended or its hooks fire. */
  budget: z
    .strictObject({
      usdPerDay: z.number().positive(),
      onExceed: z.enum(['Suspend', 'Notify']).default('Suspend'),
    })
    .optional(),
  /** Written into the workdir's .mcp.json, beside the entries that are there (DESIGN §10.5). */
  mcpServers: McpServers.optional(),
  /** agentctl's own section of the workdir's CLAUDE.md, between markers. */
  memory: Memory.optional(),
});

/** Interactive start-up of a terminal agent (DESIGN §9.2): wait for a pattern, then type commands. */
export const Startup = z.strictObject({
  /** Regular expression matched against the visible pane; Ready waits for it. */
  readyPattern: z
    .string()
    .min(1)
    .refine((p) => {
      try {
        new RegExp(p);
        return true;
      } catch {
        return false;
      }
    }, 'not a valid regular expression')
    .optional(),
  timeoutSeconds: positive.default(90),
  onTimeout: z.enum(['Fail', 'Proceed']).default('Fail'),
  commands: z.array(z.strictObject({ text: z.string(), delaySeconds: nonNegative.default(0) })).default([]),
});

export const Backoff = z
  .strictObject({
    initialSeconds: positive.default(10),
    maxSeconds: positive.default(300),
    resetAfterSeconds: positive.default(600),
    /** Restarts in a row after which the agent ends Failed (RetryLimit); absent: no limit. */
    maxRetries: z.number().int().nonnegative().optional(),
  })
  .refine((b) => b.maxSeconds >= b.initialSeconds, 'maxSeconds must be at least initialSeconds');

const SlurmTimeLimit = z
  .string()
  .regex(
    /^(\d+-\d{1,2}(:\d{1,2}(:\d{1,2})?)?|\d+(:\d{1,2}(:\d{1,2})?)?|UNLIMITED|INFINITE)$/,
    'Slurm time limit: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS',
  );

export const Slurm = z.strictObject({
  partition: SlurmWord.optional(),
  timeLimit: SlurmTimeLimit.optional(),
  cpusPerTask: intPositive.optional(),
  memory: z
    .string()
    .regex(/^\d+[KMGT]?$/, 'memory like 4G, 512M or 1024')
    .optional(),
  gres: SlurmWord.optional(),
  account: SlurmWord.optional(),
  qos: SlurmWord.optional(),
  reservation: SlurmWord.optional(),
  extraDirectives: z
    .array(z.string().refine((v) => !CONTROL_CHARS.test(v), 'must not contain control characters (newline, tab, ...)'))
    .optional(),
  logsDir: WritableDir.optional(),
  /** Run the agent in a tmux session inside the job, so it has a terminal (default: true for
   * claude agents). DESIGN §9.3. */
  interactive: z.boolean().optional(),
  /** Run the agent as a session inside the running job (or reservation) of this name. */
  allocation: SlurmWord.pipe(z.string().min(1)).optional(),
  /** Submit the successor this long before the time limit (e.g. 10m). */
  walltimeRollover: z
    .string()
    .regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'a duration like 30s, 10m or 1h')
    .refine(
      (v) => !/^\d+(\.\d+)?(ms|s|m|h|d)$/.test(v) || isTimerDuration(v),
      'at most about 24 days: a longer delay cannot be timed',
    )
    .optional(),
});

export const Listen = z.strictObject({
  port: z.number().int().min(1).max(65535),
  proto: z.enum(['tcp', 'udp']).default('tcp'),
  name: z.string().optional(),
});

export const RestartPolicy = z.enum(['Always', 'OnFailure', 'Never']);
export const DesiredState = z.enum(['Running', 'Stopped']);
export const RuntimeName = z.enum(['tmux', 'slurm']);

export const AgentSpecBody = z
  .strictObject({
    state: DesiredState.default('Running'),
    runtime: RuntimeName.default('tmux'),
    command: Argv.optional(),
    claude: Claude.optional(),
    workdir: WritableDir.optional(),
    env: EnvMap.default({}),
    envFiles: z.array(HostPath).default([]),
    files: z.record(RelativeFilePath, z.string()).default({}),
    restartPolicy: RestartPolicy.default('Always'),
    backoff: Backoff.default({ initialSeconds: 10, maxSeconds: 300, resetAfterSeconds: 600 }),
    stopGracePeriodSeconds: nonNegative.default(10),
    healthCheck: HealthCheck.optional(),
    hooks: Hooks.default({}),
    dependsOn: z.array(z.string().regex(NAME_PATTERN, 'not a valid agent name')).default([]),
    host: z.string().min(1).optional(),
    hosts: HostList.optional(),
    failover: Failover.optional(),
    handover: Handover.optional(),
    slurm: Slurm.optional(),
    listen: z.array(Listen).default([]),
    extensions: z.record(z.string(), z.unknown()).default({}),
    startup: Startup.optional(),
    /** A git worktree of its own, made once on the agent's host (DESIGN §10.5). */
    workspace: Workspace.optional(),
    /** Run the command through the user's login shell on its host ($SHELL -l), argv exact. */
    loginShell: z.boolean().default(false),
  })
  .superRefine((s, ctx) => {
    if ((s.command === undefined) === (s.claude === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'exactly one of command or claude is required' });
    }
    checkPlacementFields(s, (path, message) => ctx.addIssue({ code: 'custom', path, message }));
    for (const c of claudeFileClashes(s.files, s.claude)) ctx.addIssue({ code: 'custom', ...c });
  });

export const Metadata = z.strictObject({
  name: z
    .string()
    .regex(
      NAME_PATTERN,
      'must be lowercase letters, digits and "-", start and end alphanumeric, at most 63 characters',
    ),
  labels: z.record(z.string(), z.string()).default({}),
  annotations: z.record(z.string(), z.string()).default({}),
});

export const AgentDocument = z.strictObject({
  apiVersion: z.literal('agentctl/v1', { error: 'must be agentctl/v1' }),
  kind: z.literal('Agent', { error: 'must be Agent' }),
  metadata: Metadata,
  spec: AgentSpecBody,
});

/** A machine reached over SSH (DESIGN §9.1). */
export const SshTarget = z.strictObject({
  host: z.string().regex(SSH_HOST_PATTERN, 'a host name or address (letters, digits, ".", "-", "_"; IPv6 in brackets)'),
  port: z.number().int().min(1).max(65535).default(22),
  user: z
    .string()
    .regex(SSH_USER_PATTERN, 'a user name (letters, digits, ".", "-", "_"; not starting with "-")')
    .optional(),
  identityFile: HostPath.optional(),
  /** ProxyJump chain, first hop first: `host`, `user@host` or `user@host:port`. */
  jump: z.array(z.string().regex(SSH_JUMP_PATTERN, 'a jump host: host, user@host or user@host:port')).default([]),
  knownHostsFile: HostPath.optional(),
  connectTimeoutSeconds: positive.default(10),
  /** `yes` checks against knownHostsFile; `accept-new` records a first-seen key. */
  strictHostKeyChecking: z.enum(['yes', 'accept-new']).default('yes'),
});

export const HostSpecBody = z.strictObject({
  ssh: SshTarget.optional(),
  /** The tmux socket on that host (default: the controller's). */
  tmuxSocket: z.string().min(1).optional(),
  /** sbatch/squeue/scancel run there (a cluster's login node). */
  slurm: z.boolean().default(false),
});

export const HostDocument = z.strictObject({
  apiVersion: z.literal('agentctl/v1', { error: 'must be agentctl/v1' }),
  kind: z.literal('Host', { error: 'must be Host' }),
  metadata: Metadata,
  spec: HostSpecBody,
});

export type AgentDocument = z.infer<typeof AgentDocument>;
export type HostDocument = z.infer<typeof HostDocument>;
export type HostSpec = z.infer<typeof HostSpecBody>;
export type SshTarget = z.infer<typeof SshTarget>;
export type Startup = z.infer<typeof Startup>;
export type ClaudeContext = z.infer<typeof ClaudeContext>;
export type AgentSpec = z.infer<typeof AgentSpecBody>;
export type HookEntry = z.infer<typeof HookEntry>;
export type HealthCheck = z.infer<typeof HealthCheck>;
export type Claude = z.infer<typeof Claude>;
export type SlurmSpec = z.infer<typeof Slurm>;
export type RestartPolicy = z.infer<typeof RestartPolicy>;
export type RuntimeName = z.infer<typeof RuntimeName>;
export type BackoffSpec = z.infer<typeof Backoff>;
export type HookName =
  'preStart' | 'postStart' | 'preStop' | 'postStop' | 'onCompact' | 'onRestart' | 'onWaiting' | 'onIdle';
