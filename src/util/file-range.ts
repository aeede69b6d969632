// Reads a range of a regular file, never blocking on a FIFO or device put where a file belongs.
import { constants as fsConstants } from 'node:fs';
import { open } from 'node:fs/promises';

/** The bytes `pick(size)` chooses (start and length, clipped to the file), or null when the path
 * is missing or not a regular file. */
export async function readFileRange(
  path: string,
  pick: (size: number) => { start: number; length: number },
): Promise<Buffer | null> {
  let fh;
  try {
    fh = await open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const s = await fh.stat();
    if (!s.isFile()) return null;
    const { start, length } = pick(s.size);
    const from = Math.max(0, Math.min(start, s.size));
    const buf = Buffer.alloc(Math.max(0, Math.min(length, s.size - from)));
    const { bytesRead } = await fh.read(buf, 0, buf.length, from);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
