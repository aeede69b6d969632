// The last lines of a file that may be large (a long-running job's output), read from its end.
import { open } from 'node:fs/promises';

const CHUNK = 64 * 1024;

/** The last `lines` lines, with a final newline when there is any output. Reads backwards in
 * chunks, so a multi-gigabyte log costs only what is shown. */
export async function tailFile(path: string, lines: number): Promise<string> {
  const want = Math.max(1, lines);
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    let pos = size;
    let buf = Buffer.alloc(0);
    const newlines = (b: Buffer): number => {
      let n = 0;
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
      return n;
    };
    // One newline more than lines wanted (the text's own final one) settles where to cut.
    while (pos > 0 && newlines(buf) <= want) {
      const len = Math.min(CHUNK, pos);
      pos -= len;
      const chunk = Buffer.alloc(len);
      await fh.read(chunk, 0, len, pos);
      buf = Buffer.concat([chunk, buf]);
    }
    const text = buf.toString('utf8').replace(/\s+$/, '');
    if (text === '') return '';
    const all = text.split('\n');
    return all.slice(Math.max(0, all.length - want)).join('\n') + '\n';
  } finally {
    await fh.close();
  }
}
