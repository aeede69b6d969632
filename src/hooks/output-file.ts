// A private temporary file that collects a hook's stdout and stderr, and reads back its tail.
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes read back from the end of the output: enough for the event tail after scrubbing. */
const READ_BACK_BYTES = 16 * 1024;

/** A file, not pipes: a backgrounded grandchild that keeps stdout open would otherwise hold the
 * hook open until its timeout, and stdout and stderr stay interleaved in the order written. */
export class OutputFile {
  readonly fd: number;
  private readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'agentctl-hook-'));
    // Mode 0600: the output may hold secrets until it is scrubbed and the file removed.
    this.fd = openSync(join(this.dir, 'output'), 'w+', 0o600);
  }

  tail(): string {
    const size = fstatSync(this.fd).size;
    const length = Math.min(size, READ_BACK_BYTES);
    const buf = Buffer.alloc(length);
    const read = readSync(this.fd, buf, 0, length, size - length);
    return buf.subarray(0, read).toString('utf8');
  }

  dispose(): void {
    try {
      closeSync(this.fd);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
