// Runs a runtime's command-line tool through the machine's executor; what cannot run is explained.
import type { ExecOptions, ExecResult, Executor } from '../exec/executor.js';
import type { RuntimeName } from '../spec/schema.js';
import { RuntimeError } from './types.js';
import { exhaustedResource } from '../util/resource-alarm.js';

/** The result of `file args`. A program that cannot be started, or that timed out, is a
 * RuntimeError (with a hint how to install it): never a result a caller could read as "empty". */
export async function runTool(
  exec: Executor,
  runtime: RuntimeName,
  file: string,
  args: readonly string[],
  installHint: string,
  options: ExecOptions = {},
): Promise<ExecResult> {
  const r = await exec.run(file, args, { timeoutMs: 30_000, ...options });
  const where = exec.target === 'local' ? '' : ` on ${exec.target}`;
  const resource = exhaustedResource(r.spawnError);
  if (resource) {
    // Not a missing program: nothing to install, and the call is retried with backoff.
    throw new RuntimeError(`cannot run ${file}${where}: out of ${resource} (${r.spawnError})`, {
      runtime,
      command: file,
    });
  }
  if (r.spawnError) {
    throw new RuntimeError(`cannot run ${file}${where} (${r.spawnError}): ${installHint}`, { runtime, command: file });
  }
  if (r.timedOut) {
    throw new RuntimeError(
      `${file} ${args[0] ?? ''}${where} did not answer within ${Math.round((options.timeoutMs ?? 30_000) / 1000)}s`.replace(
        / {2,}/g,
        ' ',
      ),
      {
        runtime,
        command: file,
        exitCode: r.exitCode,
        stderr: r.stderr,
      },
    );
  }
  return r;
}
