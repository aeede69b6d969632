// The field types the spec schemas are built of: names, paths, argv, env, durations, Slurm words (zod).
import { z } from 'zod';
import { MAX_DURATION_MS } from './limits.js';
import { onKernelFs } from '../util/kernel-fs.js';

export const NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const intPositive = z.number().int().positive();

/** Whole seconds below 2^31 ms: Node's timers fire at once for anything longer. */
export const MAX_SECONDS = Math.floor(MAX_DURATION_MS / 1000);
export const TOO_LONG = `at most ${MAX_SECONDS} seconds (about 24 days): a longer delay cannot be timed`;
/** A duration in seconds that some timer will wait for. */
export const positive = z.number().positive().max(MAX_SECONDS, TOO_LONG);
export const nonNegative = z.number().nonnegative().max(MAX_SECONDS, TOO_LONG);

export const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** An argv: a non-empty list whose first element (the program) is non-empty. */
export const Argv = z
  .array(z.string())
  .min(1, 'must hold at least the program')
  .refine((a) => (a[0] ?? '') !== '', 'the program (first element) must not be empty');

/** Env values may be written as YAML numbers or booleans; they reach the process as strings. */
const EnvValue = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

export const EnvMap = z.record(
  z.string().regex(ENV_KEY_PATTERN, 'environment variable names are letters, digits and _'),
  EnvValue,
);

/** A path for spec.files: relative, inside the workdir, never climbing out. */
export const RelativeFilePath = z
  .string()
  .min(1, 'file path must not be empty')
  .refine((p) => !p.startsWith('/') && !p.startsWith('~'), 'file path must be relative to the workdir')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'file path must not contain ".."')
  .refine((p) => !CONTROL_CHARS.test(p), 'file path must not contain control characters')
  .refine(
    (p) => p === '' || p.startsWith('/') || p.split('/').every((part) => part !== '' && part !== '.'),
    'file path must name a file inside the workdir (no empty, "." or ".." parts)',
  )
  .refine((p) => p.split('/').every((part) => Buffer.byteLength(part) <= 255), 'file path parts are at most 255 bytes');

/** Paths in specs: absolute, or starting with ~ (the controller's $HOME). Relative paths would
 * move with every git-sync revision folder, so they are refused. */
export const HostPath = z
  .string()
  .min(1)
  .refine((p) => p.startsWith('/') || p === '~' || p.startsWith('~/'), 'must be an absolute path or start with ~/')
  .refine((p) => !CONTROL_CHARS.test(p), 'must not contain control characters');

/** A folder agentctl creates and writes into (workdir, Slurm logs): never on a kernel file
 * system, where creating folders fails or (mkdir -p under /proc) never returns. */
export const WritableDir = HostPath.refine(
  (p) => !onKernelFs(p),
  'must not be under /proc, /sys or /dev (kernel file systems; /dev/shm is allowed)',
);

/** A word that goes into an `#SBATCH` line or an sbatch/srun argument. */
export const SlurmWord = z
  .string()
  .refine((v) => !CONTROL_CHARS.test(v), 'must not contain control characters (newline, tab, ...)')
  .refine((v) => CONTROL_CHARS.test(v) || !/[\s'"\\]/.test(v), 'must not contain spaces, quotes or backslashes');
