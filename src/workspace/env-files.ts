// Reads an agent's envFiles (dotenv), bounded: values are secrets, so errors name the file and line, never content.
import { parse as parseDotenv } from 'dotenv';
import { MAX_ENV_FILE_BYTES } from '../spec/limits.js';
import { FileReadError, readBounded } from '../util/bounded-read.js';
import { expandHome } from '../util/paths.js';
import { firstInvalidUtf8, positionAt } from '../util/utf8.js';
import { PrepareError } from './errors.js';

/** The variables of the agent's envFiles, later files winning. A FIFO, a device, a file over
 * 1 MB, invalid UTF-8 or a NUL fails the start: each would hang the controller, or hand the
 * agent a value that differs from the file's. */
export async function readEnvFileList(files: readonly string[], home: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const f of files) {
    let bytes: Buffer;
    try {
      bytes = await readBounded(expandHome(f, home), MAX_ENV_FILE_BYTES);
    } catch (err) {
      const why =
        err instanceof FileReadError && err.code === undefined
          ? `: ${err.message}`
          : ` (${(err as FileReadError).code ?? 'error'})`;
      throw new PrepareError(`envFile ${f} cannot be read${why}`, { cause: err });
    }
    const bad = firstInvalidUtf8(bytes);
    if (bad >= 0) throw new PrepareError(`envFile ${f}:${positionAt(bytes, bad).line}: invalid UTF-8`);
    const nul = bytes.indexOf(0);
    if (nul >= 0) throw new PrepareError(`envFile ${f}:${positionAt(bytes, nul).line}: NUL character`);
    Object.assign(env, parseDotenv(bytes.toString('utf8')));
  }
  return env;
}
