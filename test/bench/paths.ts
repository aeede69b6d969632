// Where the bench finds the compiled CLI and keeps its cache and results (.bench/, git-ignored).
import { chmodSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

/** The checkout: the bench runs compiled from dist/test/bench/, so it looks for package.json. */
export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

/** The CLI as users run it: executed through its shebang (as npm's bin link does), so that the
 * node flags it carries apply. tsc writes it without the executable bit; npm sets it on install. */
export function cliCommand(): { file: string; args: string[] } {
  chmodSync(CLI, 0o755);
  return { file: CLI, args: [] };
}
export const BENCH_DIR = resolve(ROOT, '.bench');
