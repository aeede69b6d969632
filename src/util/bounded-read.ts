// Reads a file that specs name or hold: a regular file only, opened non-blocking, never past a size cap.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

export type FileReadReason = 'missing' | 'unreadable' | 'not-regular' | 'too-large';

/** Why a file could not be read. The message never holds the file's content (it may be a
 * secret): only its kind, its size cap, or the errno code. */
export class FileReadError extends Error {
  /** The errno code, for 'missing' and 'unreadable'. */
  readonly code: string | undefined;

  constructor(
    readonly path: string,
    readonly reason: FileReadReason,
    message: string,
    options?: { cause?: unknown; code?: string },
  ) {
    super(message, options);
    this.code = options?.code;
    this.name = 'FileReadError';
  }
}

// O_NONBLOCK: a FIFO swapped in after the stat below must not block the open (or the read).
// O_NOCTTY: opening a terminal device must never make it ours.
const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

export function formatSize(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/** What a non-regular directory entry is, for messages ("not a regular file (a FIFO)"). */
export function kindOf(
  s: Pick<Stats, 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isDirectory' | 'isSocket'>,
): string {
  if (s.isFIFO()) return 'a FIFO';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isDirectory()) return 'a directory';
  if (s.isSocket()) return 'a socket';
  return 'not a file';
}

function checkStats(path: string, s: Stats, maxBytes: number): void {
  if (!s.isFile()) throw new FileReadError(path, 'not-regular', `not a regular file (${kindOf(s)})`);
  if (s.size > maxBytes) throw tooLarge(path, maxBytes);
}

function tooLarge(path: string, maxBytes: number): FileReadError {
  return new FileReadError(path, 'too-large', `file is larger than ${formatSize(maxBytes)}`);
}

function fromErrno(path: string, err: unknown): FileReadError {
  if (err instanceof FileReadError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return new FileReadError(
    path,
    code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable',
    `cannot read: ${code}`,
    { cause: err, code },
  );
}

/** The whole file, or a FileReadError. Stat first, so that a device or FIFO is never even
 * opened; then the opened file is checked again (it may have been swapped in between), and the
 * read stops one byte past the cap whatever stat said (files under /proc report size 0). */
export async function readBounded(path: string, maxBytes: number): Promise<Buffer> {
  try {
    checkStats(path, await stat(path), maxBytes);
    const fh = await open(path, FLAGS);
    try {
      checkStats(path, await fh.stat(), maxBytes);
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const buf = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        chunks.push(buf.subarray(0, bytesRead));
        total += bytesRead;
        if (total > maxBytes) throw tooLarge(path, maxBytes);
      }
      return Buffer.concat(chunks, total);
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw fromErrno(path, err);
  }
}

/** As readBounded, synchronously: for many small files one open+read+close beats several
 * thread-pool round trips. */
export function readBoundedSync(path: string, maxBytes: number): Buffer {
  try {
    checkStats(path, statSync(path), maxBytes);
    const fd = openSync(path, FLAGS);
    try {
      const s = fstatSync(fd);
      checkStats(path, s, maxBytes);
      // Sized by stat, plus one byte to notice a file that is longer than it said.
      let buf = Buffer.allocUnsafe(Math.min(s.size, maxBytes) + 1);
      let total = 0;
      for (;;) {
        if (total === buf.length) {
          if (total > maxBytes) throw tooLarge(path, maxBytes);
          const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2 + 4096, maxBytes + 1));
          buf.copy(bigger, 0, 0, total);
          buf = bigger;
        }
        const n = readSync(fd, buf, total, buf.length - total, null);
        if (n === 0) break;
        total += n;
      }
      if (total > maxBytes) throw tooLarge(path, maxBytes);
      return buf.subarray(0, total);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw fromErrno(path, err);
  }
}
