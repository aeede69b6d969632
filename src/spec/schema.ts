// The agentctl/v1 Agent spec as zod schemas: the single source of the spec's TypeScript types.
import { z } from 'zod';

export const NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
const intPositive = z.number().int().positive();

/** An argv: a non-empty list whose first element (the program) is non-empty. */
export const Argv = z
  .array(z.string())
  .min(1, 'must hold at least the program')
  .refine((a) => (a[0] ?? '') !== '', 'the program (first element) must not be empty');

/** Env values may be written as YAML numbers or booleans; they reach the process as strings. */
const EnvValue = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

const EnvMap = z.record(
  z.string().regex(ENV_KEY_PATTERN, 'environment variable names are letters, digits and _'),
  EnvValue,
);

/** A path for spec.files: relative, inside the workdir, never climbing out. */
export const RelativeFilePath = z
  .string()
  .min(1, 'file path must not be empty')
  .refine((p) => !p.startsWith('/') && !p.startsWith('~'), 'file path must be relative to the workdir')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'file path must not contain ".."')
  .refine((p) => !p.includes('\0'), 'file path must not contain NUL');

/** Paths in specs: absolute, or starting with ~ (the controller's $HOME). Relative paths would
 * move with every git-sync revision folder, so they are refused. */
export const HostPath = z
  .string()
  .min(1)
  .refine((p) => p.startsWith('/') || p === '~' || p.startsWith('~/'), 'must be an absolute path or start with ~/');

const Timeout = { timeoutSeconds: positive.optional() };

export const HookEntry = z.union([
  z.string().min(1),
  z.strictObject({ shell: z.string().min(1), ...Timeout }),
  z.strictObject({ exec: Argv, ...Timeout }),
  z.strictObject({ url: z.url({ protocol: /^https?$/ }), ...Timeout }),
]);

export const Hooks = z.strictObject({
  preStart: z.array(HookEntry).optional(),
  postStart: z.array(HookEntry).optional(),
  preStop: z.array(HookEntry).optional(),
  postStop: z.array(HookEntry).optional(),
});

export const HealthCheck = z
  .strictObject({
    exec: Argv.optional(),
    http: z.url({ protocol: /^https?$/ }).optional(),
    periodSeconds: positive.default(30),
    timeoutSeconds: positive.default(5),
    failureThreshold: intPositive.default(3),
    initialDelaySeconds: nonNegative.default(0),
  })
  .refine((h) => (h.exec === undefined) !== (h.http === undefined), 'exactly one of exec or http is required');

export const ClaudeSession = z.enum(['new', 'continue', 'resume', 'continue-or-new']);

export const Claude = z
  .strictObject({
    model: z.string().min(1).optional(),
    session: ClaudeSession.default('new'),
    resumeId: z.string().default(''),
    flags: z.array(z.string()).default([]),
    channels: z.array(z.string().min(1)).default([]),
    binary: z.string().min(1).default('claude'),
  })
  .refine((c) => c.session !== 'resume' || c.resumeId !== '', {
    message: 'session "resume" needs a resumeId',
    path: ['resumeId'],
  });

export const Backoff = z
  .strictObject({
    initialSeconds: positive.default(10),
    maxSeconds: positive.default(300),
    resetAfterSeconds: positive.default(600),
  })
  .refine((b) => b.maxSeconds >= b.initialSeconds, 'maxSeconds must be at least initialSeconds');

const SlurmTimeLimit = z
  .string()
  .regex(
    /^(\d+-\d{1,2}(:\d{1,2}(:\d{1,2})?)?|\d+(:\d{1,2}(:\d{1,2})?)?|UNLIMITED|INFINITE)$/,
    'Slurm time limit: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS',
  );

export const Slurm = z.strictObject({
  partition: z.string().optional(),
  timeLimit: SlurmTimeLimit.optional(),
  cpusPerTask: intPositive.optional(),
  memory: z.string().regex(/^\d+[KMGT]?$/, 'memory like 4G, 512M or 1024').optional(),
  gres: z.string().optional(),
  account: z.string().optional(),
  qos: z.string().optional(),
  reservation: z.string().optional(),
  extraDirectives: z.array(z.string()).optional(),
  logsDir: HostPath.optional(),
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
    workdir: HostPath.optional(),
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
    slurm: Slurm.optional(),
    listen: z.array(Listen).default([]),
    extensions: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((s, ctx) => {
    if ((s.command === undefined) === (s.claude === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'exactly one of command or claude is required' });
    }
  });

export const Metadata = z.strictObject({
  name: z
    .string()
    .regex(NAME_PATTERN, 'must be lowercase letters, digits and "-", start and end alphanumeric, at most 63 characters'),
  labels: z.record(z.string(), z.string()).default({}),
  annotations: z.record(z.string(), z.string()).default({}),
});

export const AgentDocument = z.strictObject({
  apiVersion: z.literal('agentctl/v1', { error: 'must be agentctl/v1' }),
  kind: z.literal('Agent', { error: 'must be Agent' }),
  metadata: Metadata,
  spec: AgentSpecBody,
});

export type AgentDocument = z.infer<typeof AgentDocument>;
export type AgentSpec = z.infer<typeof AgentSpecBody>;
export type HookEntry = z.infer<typeof HookEntry>;
export type HealthCheck = z.infer<typeof HealthCheck>;
export type Claude = z.infer<typeof Claude>;
export type SlurmSpec = z.infer<typeof Slurm>;
export type RestartPolicy = z.infer<typeof RestartPolicy>;
export type RuntimeName = z.infer<typeof RuntimeName>;
export type BackoffSpec = z.infer<typeof Backoff>;
export type HookName = 'preStart' | 'postStart' | 'preStop' | 'postStop';
