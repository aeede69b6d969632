// Slurm job submission, rendered (pure): the batch script, the sbatch argv, the job's name and comment.
import { NAME_PATTERN, type SlurmSpec } from '../../spec/schema.js';
import { interactiveBody } from './interactive-script.js';
import { shQuote } from '../../exec/shell-quote.js';

export const JOB_PREFIX = 'agentctl.';
export const COMMENT_PREFIX = 'agentctl:';

export class ScriptError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScriptError';
  }
}

export const jobName = (agent: string): string => `${JOB_PREFIX}${agent}`;

/** Marks after the hash: `tty` (an interactive job), `next` (a walltime successor). */
export type CommentFlag = 'tty' | 'next';

/** `agentctl:<hash>[;tty][;next];owner=<owner>`: the plain `agentctl:<hash>` of DESIGN §3 stays
 * a prefix, so a reader that knows only the hash still finds it. */
export function jobComment(hash: string, owner: string, flags: readonly CommentFlag[] = []): string {
  return `${COMMENT_PREFIX}${hash}${flags.map((f) => `;${f}`).join('')};owner=${owner}`;
}

/** sbatch expands `%j`, `%x`… in --output; `%%` is a literal `%`. A backslash anywhere turns the
 * expansion off altogether, and then the path must be passed as it is. */
export function slurmFilename(path: string): string {
  return path.includes('\\') ? path : path.replaceAll('%', '%%');
}

export interface ScriptInput {
  name: string;
  argv: readonly string[];
  slurm: SlurmSpec | undefined;
  /** Folder of the exit files; the job writes `<exitDir>/<name>.<jobid>.exit`. */
  exitDir: string;
  /** The agent's folder (sbatch --chdir; an interactive job's pane enters it itself). */
  workdir: string;
}

/** `slurm.interactive`: the agent gets a terminal (a tmux session inside the job). Its default
 * is applied by effectiveSlurm, where the spec becomes a start request. */
export const isInteractive = (s: SlurmSpec | undefined): boolean => s?.interactive === true;

/** spec.slurm as the runtime reads it: `interactive` defaults to true for claude agents
 * (DESIGN §9.3), whose TUI needs a terminal. Undefined for agents that are not on Slurm. */
export function effectiveSlurm(spec: {
  runtime: string;
  slurm?: SlurmSpec | undefined;
  claude?: unknown;
}): SlurmSpec | undefined {
  if (spec.runtime !== 'slurm' && !spec.slurm) return undefined;
  return { ...spec.slurm, interactive: spec.slurm?.interactive ?? spec.claude !== undefined };
}

export interface SubmitInput extends ScriptInput {
  hash: string;
  owner: string;
  /** A walltime successor: it waits for the agent's running job to end (same job name). */
  successor?: boolean;
  /** The job's stdout+stderr file. */
  output: string;
}

// A newline in a directive would end the `#SBATCH` line and turn the rest into shell code.
const CONTROL = /[\u0000-\u001f\u007f]/;

function checkValue(field: string, value: string): string {
  if (CONTROL.test(value)) throw new ScriptError(`slurm.${field} must not contain control characters (newlines, tabs)`);
  if (/[\s'"\\]/.test(value))
    throw new ScriptError(`slurm.${field} must not contain spaces, quotes or backslashes: ${JSON.stringify(value)}`);
  return value;
}

function extraDirective(d: string, i: number): string {
  if (CONTROL.test(d))
    throw new ScriptError(`slurm.extraDirectives[${i}] must not contain control characters (newlines, tabs)`);
  const text = d.trim().replace(/^#SBATCH\s+/, '');
  if (!text.startsWith('-'))
    throw new ScriptError(
      `slurm.extraDirectives[${i}] must be an sbatch option such as --constraint=a100, got ${JSON.stringify(d)}`,
    );
  return text;
}

/** The `#SBATCH` lines for spec.slurm. `--no-requeue` comes first so that a preempted or failed
 * node ends the job (the controller resubmits it) unless an extra directive asks otherwise. */
export function directives(s: SlurmSpec | undefined): string[] {
  const out = ['--no-requeue'];
  if (!s) return out;
  const add = (flag: string, field: keyof SlurmSpec, v: string | number | undefined): void => {
    if (v !== undefined && v !== '') out.push(`${flag}=${checkValue(field, String(v))}`);
  };
  add('--partition', 'partition', s.partition);
  add('--time', 'timeLimit', s.timeLimit);
  add('--cpus-per-task', 'cpusPerTask', s.cpusPerTask);
  add('--mem', 'memory', s.memory);
  add('--gres', 'gres', s.gres);
  add('--account', 'account', s.account);
  add('--qos', 'qos', s.qos);
  add('--reservation', 'reservation', s.reservation);
  (s.extraDirectives ?? []).forEach((d, i) => out.push(extraDirective(d, i)));
  return out;
}

/**
 * The batch script. The agent's argv appears only as single-quoted words, so the shell runs it
 * as given and interprets nothing in it. Like the tmux wrapper (exit-status.ts), the script
 * traps TERM and INT (the agent keeps default dispositions) so that it outlives the agent on
 * scancel or walltime long enough to record its exit status, via a temp file and rename.
 * Environment values never appear here: they travel in sbatch's own environment.
 */
export function renderScript(i: ScriptInput): string {
  if (!NAME_PATTERN.test(i.name)) throw new ScriptError(`not a valid agent name: ${JSON.stringify(i.name)}`);
  if (i.argv.length === 0) throw new ScriptError('the command is empty');
  const exitBase = `${shQuote(`${i.exitDir}/${i.name}.`)}"$SLURM_JOB_ID"`;
  return [
    '#!/bin/sh',
    `# agentctl agent ${i.name}: generated batch script, do not edit`,
    ...directives(i.slurm).map((d) => `#SBATCH ${d}`),
    `exit_file=${exitBase}'.exit'`,
    ...(isInteractive(i.slurm) ? interactiveBody(i) : batchBody(i)),
    '',
  ].join('\n');
}

function batchBody(i: ScriptInput): string[] {
  return [
    `printf '%s\\n' "agentctl: job $SLURM_JOB_ID of agent ${i.name} starting on $(hostname) at $(date -u +%Y-%m-%dT%H:%M:%SZ)"`,
    'trap : TERM INT',
    i.argv.map(shQuote).join(' '),
    'c=$?',
    'printf \'%s\\n\' "$c" > "$exit_file.tmp" && mv -f "$exit_file.tmp" "$exit_file"',
    'exit "$c"',
  ];
}

/** sbatch's argv: identity (name, comment), output and workdir on the command line, where they
 * override anything in the script; the script itself goes on stdin. */
export function sbatchArgs(i: SubmitInput): string[] {
  return [
    '--parsable',
    `--job-name=${jobName(i.name)}`,
    `--comment=${jobComment(i.hash, i.owner, [...(isInteractive(i.slurm) ? (['tty'] as const) : []), ...(i.successor ? (['next'] as const) : [])])}`,
    ...(i.successor ? ['--dependency=singleton'] : []),
    `--output=${slurmFilename(i.output)}`,
    '--open-mode=append',
    `--chdir=${i.workdir}`,
    '--export=ALL',
  ];
}

/** `12345` or `12345;cluster` → `12345`. */
export function parseJobId(stdout: string): string | null {
  return /^\s*(\d+)(?:[;\s]|$)/.exec(stdout)?.[1] ?? null;
}
