// The two file operations the transcript reader needs, and their local implementation (node:fs).
//
// Kept this small so a remote host can provide them over SSH as well (`find DIR -maxdepth 1
// -name '*.jsonl' -printf '%f %s %T@\n'` and `tail -c +$((OFFSET+1)) FILE | head -c MAX`).
import { readFileRange } from '../util/file-range.js';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface TranscriptFileInfo {
  /** File name inside the folder. */
  name: string;
  size: number;
  mtimeMs: number;
}

export interface TranscriptFiles {
  /** The regular files of a folder with size and modification time; empty when it is missing. */
  list(dir: string): Promise<TranscriptFileInfo[]>;
  /** Up to `maxBytes` bytes of `path` from byte `offset` (fewer at the end of the file); null
   * when the file is missing. */
  readFrom(path: string, offset: number, maxBytes: number): Promise<Uint8Array | null>;
}

export const localTranscriptFiles: TranscriptFiles = {
  async list(dir) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return [];
    }
    const infos = await Promise.all(
      names.map(async (name): Promise<TranscriptFileInfo | undefined> => {
        try {
          const s = await stat(join(dir, name));
          return s.isFile() ? { name, size: s.size, mtimeMs: s.mtimeMs } : undefined;
        } catch {
          return undefined; // removed between readdir and stat
        }
      }),
    );
    return infos.filter((i): i is TranscriptFileInfo => i !== undefined);
  },

  // A FIFO where a transcript belongs must not hang the controller: readFileRange never blocks.
  readFrom: (path, offset, maxBytes) => readFileRange(path, () => ({ start: offset, length: maxBytes })),
};
