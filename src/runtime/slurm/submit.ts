// Submitting agents as batch jobs: the script on stdin, env in sbatch's own environment, bounded in flight.
import type { Logger } from 'pino';
import { expandHome } from '../../util/paths.js';
import { mapLimit } from '../../util/map-limit.js';
import { scrub } from '../../spec/secrets.js';
import { RuntimeError, type BatchResult, type StartRequest } from '../types.js';
import type { SlurmClient } from './client.js';
import type { JobFiles } from './job-files.js';
import { parseJobId, renderScript, sbatchArgs } from './script.js';

export interface SubmitContext {
  client: SlurmClient;
  files: JobFiles;
  owner: string;
  home: string;
  /** What sbatch runs with (the agent's base environment and Slurm's own variables). */
  baseEnv: Record<string, string>;
  log: Logger;
  /** sbatch processes in flight at once (one per agent is unavoidable). */
  concurrency: number;
}

const SUBMIT_TIMEOUT_MS = 60_000;

export async function submitJobs(c: SubmitContext, requests: readonly StartRequest[]): Promise<BatchResult> {
  const result: BatchResult = new Map();
  if (requests.length === 0) return result;
  const plans = requests.map((req) => {
    const logsDir = req.slurm?.logsDir ? expandHome(req.slurm.logsDir, c.home) : c.files.defaultLogsDir;
    const output = `${logsDir}/${req.name}.out`;
    const input = {
      name: req.name,
      argv: req.argv,
      slurm: req.slurm,
      exitDir: c.files.runDir,
      hash: req.hash,
      owner: c.owner,
      workdir: req.workdir,
      output,
      successor: req.successorOf !== undefined,
    };
    try {
      return { req, logsDir, output, script: renderScript(input), args: sbatchArgs(input) };
    } catch (err) {
      result.set(req.name, {
        error: new RuntimeError(
          `cannot submit agent ${req.name}: ${(err as Error).message}`,
          { runtime: 'slurm' },
          { cause: err },
        ),
      });
      return undefined;
    }
  });
  await c.files.prepare();
  const ready = plans.filter((p) => p !== undefined);
  await c.files.clearExits(new Set(ready.map((p) => p.req.name)));
  await mapLimit(ready, c.concurrency, async (p) => {
    try {
      await c.files.prepareLogsDir(p.logsDir);
    } catch (err) {
      result.set(p.req.name, {
        error: new RuntimeError(
          `cannot create the logs folder ${p.logsDir}: ${(err as Error).message}`,
          { runtime: 'slurm' },
          { cause: err },
        ),
      });
      return;
    }
    // The script goes on stdin and env values in sbatch's own environment (--export=ALL):
    // neither reaches argv (ps) nor a file on disk.
    let r;
    try {
      r = await c.client.run('sbatch', p.args, {
        input: p.script,
        env: { ...c.baseEnv, ...p.req.env },
        timeoutMs: SUBMIT_TIMEOUT_MS,
      });
    } catch (err) {
      const why = (err as Error).message.includes('did not answer')
        ? `sbatch timed out after ${SUBMIT_TIMEOUT_MS / 1000}s (the job may still appear in the queue)`
        : (err as Error).message;
      result.set(p.req.name, { error: new RuntimeError(why, { runtime: 'slurm', command: 'sbatch' }, { cause: err }) });
      return;
    }
    const jobId = r.exitCode === 0 ? parseJobId(r.stdout) : null;
    if (jobId === null) {
      const stderr = scrub(r.stderr, p.req.secrets).trim();
      const why = `sbatch failed: ${stderr.split('\n').pop() || `exit code ${r.exitCode}`}`;
      result.set(p.req.name, {
        error: new RuntimeError(why, { runtime: 'slurm', command: 'sbatch', exitCode: r.exitCode, stderr }),
      });
      return;
    }
    // The job is submitted whatever happens here: a lost pointer only sends `logs` to the default place.
    await c.files
      .rememberOutput(p.req.name, p.output)
      .catch((err: Error) => c.log.warn({ agent: p.req.name, error: err.message }, 'cannot record the output path'));
    c.log.debug({ agent: p.req.name, jobId }, 'submitted');
    result.set(p.req.name, { handle: jobId });
  });
  return result;
}
