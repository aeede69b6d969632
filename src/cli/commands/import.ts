// agentctl import FILE...: prints agentctl/v1 specs for YAML of the older Python tool.
import { readFile } from 'node:fs/promises';
import { convertOldSpecs } from '../../import/convert.js';
import { ImportFormatError, ImportReadError } from '../../import/errors.js';
import { ExitError } from '../exit.js';

export interface ImportIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: ImportIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** Converts every file it can and prints them together; each file that cannot be read or is not
 * of a known format is named on stderr, and the exit code is then 1. */
export async function importCommand(files: string[], io: ImportIo = processIo): Promise<void> {
  const outputs: string[] = [];
  let failed = false;
  for (const file of files) {
    try {
      const text = await readFile(file, 'utf8').catch((err: unknown) => {
        throw new ImportReadError(file, { cause: err });
      });
      outputs.push(convertOldSpecs(text, file).yaml);
    } catch (err) {
      if (!(err instanceof ImportReadError || err instanceof ImportFormatError)) throw err;
      failed = true;
      io.stderr(`agentctl: import: ${err.message}\n`);
    }
  }
  if (outputs.length > 0) io.stdout(outputs.join('---\n'));
  if (failed) throw new ExitError(1);
}
