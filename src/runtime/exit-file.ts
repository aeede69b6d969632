// Reads an exit file written by an agent's wrapper (tmux) or batch script (Slurm).
import { readFile, stat } from 'node:fs/promises';
import { parseExitFile } from './exit-status.js';
import type { ExitInfo } from './types.js';

/** The recorded exit (its time is the file's mtime), or null when there is none (yet). */
export async function readExitFile(file: string): Promise<ExitInfo | null> {
  try {
    const [text, s] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    return parseExitFile(text, s.mtimeMs);
  } catch {
    return null;
  }
}
