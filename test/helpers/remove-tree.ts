// Removes a test's temporary folder although processes it started may still be writing into it.
import { rmSync } from 'node:fs';

const RETRY = new Set(['ENOTEMPTY', 'EBUSY', 'EPERM']);
const pause = new Int32Array(new SharedArrayBuffer(4));

/** rmSync's own maxRetries retries only the final rmdir, without listing the folder again, so a
 * file written after its first pass (a tmux session-closed hook of a killed server, an exit file)
 * failed the removal for good (ENOTEMPTY). Here every try removes the whole tree again. */
export function removeTree(dir: string, tries = 30): void {
  for (let i = 1; ; i++) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch (err) {
      if (i >= tries || !RETRY.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
      Atomics.wait(pause, 0, 0, 100);
    }
  }
}
